using Marketplace.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace Marketplace.Tests.Deployment;

/// <summary>
/// The Kubernetes manifests under deploy/k8s, read as YAML: every Deployment probes the health endpoints, states
/// requests and limits and runs as non-root; each has its HorizontalPodAutoscaler and PodDisruptionBudget; every
/// secret a manifest references is in the secrets template; the kustomization lists every file.
/// </summary>
public sealed class KubernetesManifestTests
{
    private static readonly string Folder = Path.Combine(DistributedMarketplace.RepositoryRoot, "deploy", "k8s");

    private static List<YamlMappingNode> Documents(string file)
    {
        var yaml = new YamlStream();
        yaml.Load(new StringReader(File.ReadAllText(Path.Combine(Folder, file))));
        return [.. yaml.Documents.Select(d => (YamlMappingNode)d.RootNode)];
    }

    private static List<YamlMappingNode> All() =>
        [.. Directory.GetFiles(Folder, "*.yaml").Where(f => !f.EndsWith("kustomization.yaml", StringComparison.Ordinal) && !f.Contains("example", StringComparison.Ordinal))
            .SelectMany(f => Documents(Path.GetFileName(f)))];

    private static string Kind(YamlMappingNode doc) => doc["kind"].ToString();

    private static string Name(YamlMappingNode doc) => ((YamlMappingNode)doc["metadata"])["name"].ToString();

    private static YamlNode At(YamlNode node, params string[] path) =>
        path.Aggregate(node, (n, key) => ((YamlMappingNode)n)[key]);

    [Fact]
    public void Every_deployment_has_probes_resources_non_root_an_autoscaler_and_a_disruption_budget()
    {
        var docs = All();
        var deployments = docs.Where(d => Kind(d) == "Deployment").ToList();
        Assert.Equal(["catalog", "gateway", "pricing", "rights", "settlement"], deployments.Select(Name).Order());

        foreach (var deployment in deployments)
        {
            var pod = At(deployment, "spec", "template", "spec");
            Assert.Equal("true", At(pod, "securityContext", "runAsNonRoot").ToString());
            foreach (YamlMappingNode container in (YamlSequenceNode)At(pod, "containers"))
            {
                Assert.Equal("/health/live", At(container, "livenessProbe", "httpGet", "path").ToString());
                Assert.Equal("/health/ready", At(container, "readinessProbe", "httpGet", "path").ToString());
                Assert.NotNull(At(container, "resources", "requests", "cpu"));
                Assert.NotNull(At(container, "resources", "limits", "memory"));
            }

            var name = Name(deployment);
            Assert.Contains(docs, d => Kind(d) == "HorizontalPodAutoscaler" && At(d, "spec", "scaleTargetRef", "name").ToString() == name);
            Assert.Contains(docs, d => Kind(d) == "PodDisruptionBudget"
                && At(d, "spec", "selector", "matchLabels", "app.kubernetes.io/name").ToString() == name);
        }
    }

    [Fact]
    public void Every_service_migrates_in_a_job_and_runs_with_migrations_off()
    {
        var docs = All();
        foreach (var service in new[] { "catalog", "rights", "pricing", "settlement" })
        {
            var job = Assert.Single(docs, d => Kind(d) == "Job" && Name(d) == $"{service}-migrate");
            var container = ((YamlSequenceNode)At(job, "spec", "template", "spec", "containers")).Children[0];
            var args = (YamlSequenceNode)At(container, "args");
            Assert.Equal("--migrate-only", Assert.Single(args.Children).ToString());
        }

        var config = Assert.Single(docs, d => Kind(d) == "ConfigMap");
        Assert.Equal("false", At(config, "data", "Database__MigrateOnStartup").ToString());
        Assert.Equal("SqlServer", At(config, "data", "Database__Provider").ToString());
        Assert.Single(docs, d => Kind(d) == "RabbitmqCluster");
    }

    [Fact]
    public void Every_referenced_secret_key_is_in_the_secrets_template()
    {
        var template = Assert.Single(Documents("secrets.example.yaml"));
        var keys = ((YamlMappingNode)template["stringData"]).Children.Keys.Select(k => k.ToString()).ToHashSet();
        var referenced = Directory.GetFiles(Folder, "*.yaml").SelectMany(File.ReadAllLines)
            .Select(l => System.Text.RegularExpressions.Regex.Match(l, @"secretKeyRef: \{ name: marketplace-secrets, key: ([\w-]+) \}"))
            .Where(m => m.Success)
            .Select(m => m.Groups[1].Value)
            .ToHashSet();
        Assert.NotEmpty(referenced);
        Assert.Subset(keys, referenced);
    }

    [Fact]
    public void The_kustomization_lists_every_manifest()
    {
        var listed = ((YamlSequenceNode)Assert.Single(Documents("kustomization.yaml"))["resources"]).Children.Select(c => c.ToString()).Order();
        var files = Directory.GetFiles(Folder, "*.yaml").Select(Path.GetFileName)
            .Where(f => f is not "kustomization.yaml" && !f!.Contains("example", StringComparison.Ordinal)).Order();
        Assert.Equal(files, listed);
    }
}

using System.Diagnostics.Metrics;

namespace Marketplace.BuildingBlocks.Data;

/// <summary>
/// The group committers' instruments (meter <c>Marketplace.Data</c>, every measurement tagged <c>schema</c>): how long
/// the writer was busy — read as a rate, the share of its time; near 1 the service writes as fast as it ever can —,
/// the units of work per batch, and how long each commit (its fsync included) took. On a running host:
/// <c>dotnet-counters monitor -n Marketplace.Embedded --counters Marketplace.Data</c>. The meter comes from the host's
/// <see cref="IMeterFactory"/>, so each host (and each test's) has its own.
/// </summary>
public sealed class GroupCommitTelemetry
{
    public const string MeterName = "Marketplace.Data";

    private readonly Counter<double> busy;
    private readonly Histogram<int> units;
    private readonly Histogram<double> commit;

    public GroupCommitTelemetry(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        busy = meter.CreateCounter<double>(
            "marketplace.group_commit.busy", "s", "Time the writer spent running batches: their units, savepoints and commit.");
        units = meter.CreateHistogram<int>(
            "marketplace.group_commit.batch.units", "{unit}", "Units of work that shared one transaction.");
        commit = meter.CreateHistogram<double>(
            "marketplace.group_commit.commit.duration", "s", "One shared commit, its fsync included.");
    }

    internal void Batch(string schema, int count, TimeSpan elapsed)
    {
        var tag = new KeyValuePair<string, object?>("schema", schema);
        busy.Add(elapsed.TotalSeconds, tag);
        units.Record(count, tag);
    }

    internal void Committed(string schema, TimeSpan elapsed) =>
        commit.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("schema", schema));
}

using System.Security.Cryptography;
using System.Text;

namespace Marketplace.Rights.Delivery.Files;

/// <summary>
/// The data manifest whose SHA-256 is the fingerprint a listing and its rights registration carry (存证): one line per
/// file, sorted by name (ordinal, UTF-8), as <c>sha256sum</c> prints it — the file's SHA-256 in lowercase hex, two
/// spaces, its name, a line feed. A provider computes the fingerprint before listing with
/// <c>cd data &amp;&amp; LC_ALL=C ls | xargs -d '\n' sha256sum | sha256sum</c>; a buyer checks a delivery the same way.
/// </summary>
public static class FileManifest
{
    public const int MaxNameLength = 255;

    public static string Text(IEnumerable<(string Name, string Sha256)> files) =>
        string.Concat(files.OrderBy(f => f.Name, StringComparer.Ordinal).Select(f => $"{f.Sha256}  {f.Name}\n"));

    public static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    /// <summary>Why a file name cannot be delivered (null when it can): a plain name, no folders, nothing a shell or a browser would misread.</summary>
    public static string? NameProblem(string? name) => name switch
    {
        null or "" => "A file needs a name.",
        { Length: > MaxNameLength } => $"A file name has at most {MaxNameLength} characters.",
        "." or ".." => "A file name cannot be '.' or '..'.",
        _ when name.Any(c => c is '/' or '\\' || char.IsControl(c)) => "A file name cannot contain '/', '\\' or control characters.",
        _ when name.Trim() != name => "A file name cannot start or end with spaces.",
        _ when !name.IsNormalized(NormalizationForm.FormC) => "A file name must be in Unicode normalisation form C.",
        _ => null,
    };
}

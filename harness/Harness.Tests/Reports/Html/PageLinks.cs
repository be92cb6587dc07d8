using System.Net;
using System.Text.RegularExpressions;

namespace Harness.Tests.Reports.Html;

/// <summary>The links and images of a written page, read from its markup as a browser would resolve them against the page's file.</summary>
public static partial class PageLinks
{
    [GeneratedRegex("""\s(?<kind>href|src)="(?<value>[^"]*)"(?<attrs>[^>]*)""")]
    private static partial Regex Reference();

    [GeneratedRegex("""\sid="(?<id>[^"]*)"(?<attrs>[^>]*)""")]
    private static partial Regex Identifier();

    /// <summary>Every href and src of the page, decoded from the markup (as the DOM holds them).</summary>
    public static IReadOnlyList<(string Kind, string Value)> Of(string page) =>
        Reference().Matches(File.ReadAllText(page)).Select(m => (m.Groups["kind"].Value, WebUtility.HtmlDecode(m.Groups["value"].Value))).ToList();

    /// <summary>
    /// The references that do not resolve: a file that is not there, a fragment no element of the
    /// target page has as its id, or anything that would leave the folder for the network.
    /// </summary>
    public static IReadOnlyList<string> Unresolved(string page)
    {
        var problems = new List<string>();
        foreach (var (kind, value) in Of(page))
        {
            if (Uri.TryCreate(value, UriKind.Absolute, out var absolute) || value.StartsWith("//", StringComparison.Ordinal))
            {
                problems.Add($"{kind}=\"{value}\" leaves the folder ({absolute?.Scheme ?? "network"})");
                continue;
            }
            var hash = value.IndexOf('#', StringComparison.Ordinal);
            var path = hash >= 0 ? value[..hash] : value;
            var fragment = hash >= 0 ? value[(hash + 1)..] : null;
            var target = path.Length == 0 ? page : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(page)!, Uri.UnescapeDataString(path)));
            if (!File.Exists(target)) problems.Add($"{kind}=\"{value}\": no file {target}");
            else if (fragment is { Length: > 0 } && !Ids(target).Contains(Uri.UnescapeDataString(fragment)))
                problems.Add($"{kind}=\"{value}\": no element with id {fragment} in {target}");
        }
        return problems;
    }

    public static IReadOnlySet<string> Ids(string page) =>
        Identifier().Matches(File.ReadAllText(page)).Select(m => WebUtility.HtmlDecode(m.Groups["id"].Value)).ToHashSet();
}

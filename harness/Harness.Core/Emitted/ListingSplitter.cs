using System.Text;
using System.Text.RegularExpressions;

namespace Harness.Emitted;

/// <summary>
/// Cuts the one listing a batch child printed (DOTNET_JitStdOutFile) into each kernel's own
/// listing, on the JIT's "; Assembly listing for method Namespace.Type:Method(...)" headers.
/// When the JIT compiled a method more than once (Tier0, then OSR or Tier1), only the last body is
/// kept: it is the code the method runs in the end.
/// </summary>
public static partial class ListingSplitter
{
    /// <summary>How every method body of a listing begins.</summary>
    public const string HeaderStart = "; Assembly listing for method ";

    [GeneratedRegex(@"^; Assembly listing for method (?<type>[^:\s]+):(?<method>[^(\s]+)")]
    private static partial Regex MethodHeader();

    /// <summary>Each kernel type's listing, its methods in the order the JIT first compiled them.</summary>
    public static IReadOnlyDictionary<string, string> Split(string listing)
    {
        // type → method → its last body; insertion order is kept by the lists beside the dictionaries.
        var bodies = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        var methodOrder = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        string? type = null, method = null;
        var body = new StringBuilder();

        void Finish()
        {
            if (type is null || method is null) return;
            if (!bodies.TryGetValue(type, out var methods))
            {
                bodies[type] = methods = new Dictionary<string, string>(StringComparer.Ordinal);
                methodOrder[type] = [];
            }
            if (!methods.ContainsKey(method)) methodOrder[type].Add(method);
            methods[method] = body.ToString();
        }

        var lines = listing.Split('\n');
        // A listing that ends its last line leaves an empty piece after it, which is no line.
        foreach (var line in listing.EndsWith('\n') ? lines[..^1] : lines)
        {
            if (MethodHeader().Match(line) is { Success: true } header)
            {
                Finish();
                type = header.Groups["type"].Value;
                method = header.Groups["method"].Value;
                body.Clear();
            }
            if (type is not null) body.Append(line).Append('\n');
        }
        Finish();
        return bodies.ToDictionary(t => t.Key, t => string.Concat(methodOrder[t.Key].Select(m => t.Value[m])), StringComparer.Ordinal);
    }
}

using System.Globalization;

namespace Harness.Formatting;

/// <summary>A count and its noun, singular for one: "1 test", "2 tests", "1,000,000 iterations".</summary>
public static class Counted
{
    public static string Of(long count, string singular, string? plural = null) =>
        string.Create(CultureInfo.InvariantCulture, $"{count:N0} {(count == 1 ? singular : plural ?? singular + "s")}");
}

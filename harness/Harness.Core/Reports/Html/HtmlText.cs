using System.Globalization;
using System.Net;
using System.Text;

namespace Harness.Reports.Html;

/// <summary>
/// Everything that goes from data into a page goes through here: test names hold '+', litmus
/// sources '&lt;' and '&amp;', and a file name could hold '#' or '%', which a link would misread.
/// </summary>
internal static class HtmlText
{
    /// <summary>Text for an element's content or a quoted attribute value.</summary>
    public static string Encode(string? text) => WebUtility.HtmlEncode(text ?? "");

    /// <summary>
    /// A relative link, each segment percent-encoded ("..", which must stay a step up, excepted),
    /// then escaped for the attribute it goes into.
    /// </summary>
    public static string Href(params string[] segments) =>
        Encode(string.Join("/", segments.Select(s => s is ".." or "." ? s : Uri.EscapeDataString(s))));

    /// <summary>A fragment identifier that survives any test or family name: letters and digits kept, the rest hex-coded.</summary>
    public static string Id(string prefix, string name)
    {
        var text = new StringBuilder(prefix);
        foreach (var c in name)
        {
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_') text.Append(c);
            else text.Append('.').Append(((int)c).ToString("x", CultureInfo.InvariantCulture));
        }
        return text.ToString();
    }

    public static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string Number(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);

    /// <summary>
    /// Source code as escaped lines, the '//' comments set apart. A comment is found per line, outside
    /// string literals, which is all the litmus dialect and the generated kernels need.
    /// </summary>
    public static string Code(string source)
    {
        var text = new StringBuilder();
        foreach (var line in source.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n').Split('\n'))
        {
            var comment = CommentStart(line);
            if (comment < 0) text.Append(Encode(line));
            else text.Append(Encode(line[..comment])).Append("<span class=\"comment\">").Append(Encode(line[comment..])).Append("</span>");
            text.Append('\n');
        }
        return text.ToString();
    }

    private static int CommentStart(string line)
    {
        var quoted = false;
        for (var i = 0; i < line.Length - 1; i++)
        {
            if (line[i] == '"' && (i == 0 || line[i - 1] != '\\')) quoted = !quoted;
            else if (!quoted && line[i] == '/' && line[i + 1] == '/') return i;
        }
        return -1;
    }
}

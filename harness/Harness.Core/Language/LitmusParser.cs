using System.Text;
using Harness.Programs;

namespace Harness.Language;

/// <summary>
/// Reads litmus tests: the herdtools7 "C" dialect (see DESIGN.md, "Litmus format"), herd's X86 and
/// AArch64 dialects, and C# (<c>CSharp NAME</c>); the first word of the test decides.
/// </summary>
public static class LitmusParser
{
    /// <summary>Parses <paramref name="text"/>; <paramref name="fileName"/> only names the source in spans.</summary>
    /// <exception cref="LitmusException">with every problem found, in source order, when the text is not a valid test.</exception>
    public static LitmusTest Parse(string text, string fileName)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(fileName);
        if (Hardware.HardwareLitmusParser.Handles(text)) return Hardware.HardwareLitmusParser.Parse(text, fileName);
        if (CSharp.CSharpLitmusParser.Handles(text)) return CSharp.CSharpLitmusParser.Parse(text, fileName);
        return new C.ParseSession(text, fileName).Parse();
    }

    /// <summary>Reads the file as UTF-8 and parses it; I/O errors propagate as they are.</summary>
    /// <exception cref="LitmusException">when the file is not a valid test.</exception>
    public static LitmusTest ParseFile(string path) => Parse(File.ReadAllText(path, Encoding.UTF8), path);
}

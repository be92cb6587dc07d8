using Harness.Programs;

namespace Harness.Language.Source;

/// <summary>
/// Turns character offsets into 1-based line and column positions. The lexer and parser work
/// with offsets only, so positions are computed once, when a node or a diagnostic needs one.
/// </summary>
internal sealed class SourceMap
{
    private readonly List<int> lineStarts = [0];

    public SourceMap(string fileName, string text)
    {
        FileName = fileName;
        for (var offset = 0; offset < text.Length; offset++)
        {
            if (text[offset] == '\n') lineStarts.Add(offset + 1);
        }
    }

    public string FileName { get; }

    public SourceSpan SpanAt(int offset)
    {
        var found = lineStarts.BinarySearch(offset);
        // BinarySearch returns the complement of the next larger start when the offset is
        // inside a line: the line holding it is the one before that.
        var line = found >= 0 ? found : ~found - 1;
        return new SourceSpan(FileName, line + 1, offset - lineStarts[line] + 1);
    }
}

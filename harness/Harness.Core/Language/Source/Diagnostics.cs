using Harness.Programs;

namespace Harness.Language.Source;

/// <summary>One problem found in a litmus file, located precisely enough to jump to.</summary>
public sealed record Diagnostic(SourceSpan Span, string Message)
{
    public override string ToString() => $"{Span}: error: {Message}";
}

/// <summary>
/// Raised when a litmus file cannot be read as a test. Carries every problem found, so that a
/// user fixes a file in one pass; the message is the first of them.
/// </summary>
public sealed class LitmusException : Exception
{
    public LitmusException(IReadOnlyList<Diagnostic> diagnostics)
        : base(diagnostics.Count > 0 ? diagnostics[0].ToString() : "invalid litmus test")
    {
        Diagnostics = diagnostics;
    }

    public LitmusException(Diagnostic diagnostic) : this([diagnostic]) { }

    public IReadOnlyList<Diagnostic> Diagnostics { get; }
}

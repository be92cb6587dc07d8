namespace Harness.Language.Source;

internal enum TokenKind
{
    Identifier,
    /// <summary>A run of digits and letters starting with a digit; the parser checks its form.</summary>
    Integer,
    Punctuator,
    /// <summary>Characters the dialect does not use; the lexer has already reported them.</summary>
    Invalid,
    EndOfFile,
}

/// <summary>A token and where it lies in the source text, as offsets [Start, End).</summary>
internal readonly record struct Token(TokenKind Kind, string Text, int Start, int End)
{
    public bool Is(string punctuator) => Kind == TokenKind.Punctuator && Text == punctuator;

    public bool IsIdentifier(string name) => Kind == TokenKind.Identifier && Text == name;

    /// <summary>How the token is named in "found ..." messages.</summary>
    public string Describe() => Kind switch
    {
        TokenKind.EndOfFile => "end of file",
        _ => $"'{Text}'",
    };
}

using System.Text;

namespace Harness.Tests.Language;

/// <summary>One error a malformed file must give: where, and a fragment of what it says.</summary>
public readonly record struct ExpectedError(int Line, int Column, string Fragment)
{
    public override string ToString() => $"{Line}:{Column}: ...{Fragment}...";
}

/// <summary>A malformed litmus file, as bytes on disk, and every error it must give, in order.</summary>
public sealed record MalformedCase(string Name, Func<byte[]> Content, IReadOnlyList<ExpectedError> Errors)
{
    public override string ToString() => Name;
}

/// <summary>
/// The malformed-input corpus: files a user (or a broken tool) could hand the harness, each with
/// the complete list of errors it must produce. Most cases are one edit of <see cref="MessagePassing"/>,
/// whose lines are numbered below so that positions can be checked by eye.
/// </summary>
internal static class MalformedCorpus
{
    /// <summary>
    /// Line 4 stores at columns 3 (call), 25 (location), 28 (value), 31 (order); line 8 loads at
    /// columns 12 (call), 33 (location), 36 (order); in line 11 the atoms start at columns 9 and 19.
    /// </summary>
    public const string MessagePassing =
        "C MP\n" +                                                           // 1
        "{ x=0; y=0; }\n" +                                                  // 2
        "P0 (atomic_int* x, atomic_int* y) {\n" +                            // 3
        "  atomic_store_explicit(x, 1, memory_order_relaxed);\n" +           // 4
        "  atomic_store_explicit(y, 1, memory_order_release);\n" +           // 5
        "}\n" +                                                              // 6
        "P1 (atomic_int* x, atomic_int* y) {\n" +                            // 7
        "  int r0 = atomic_load_explicit(y, memory_order_acquire);\n" +      // 8
        "  int r1 = atomic_load_explicit(x, memory_order_relaxed);\n" +      // 9
        "}\n" +                                                              // 10
        "exists (1:r0=1 /\\ 1:r1=0)\n";                                       // 11

    private const int Megabyte = 1 << 20;

    private static readonly byte[] ByteOrderMark = [0xEF, 0xBB, 0xBF];

    public static IReadOnlyList<MalformedCase> All { get; } =
    [
        // ------------------------------------------------------------ empty and truncated files
        Case("empty file", "", Error(1, 1, "expected a litmus test starting with 'C <test name>', found end of file")),
        Case("only blank lines", "\n\n   \n\t\n", Error(1, 1, "found end of file")),
        Case("only comments", "// nothing\n(* still (* nothing *) *)\n/* and */\n", Error(1, 1, "found end of file")),
        Case("only a byte-order mark", () => ByteOrderMark, Error(1, 1, "found end of file")),
        Case("only the name line", "C MP\n", Error(2, 1, "expected a thread such as 'P0 (atomic_int* x) { ... }', found end of file")),
        Case("truncated after the initial state", Lines(1, 2), Error(3, 1, "expected a thread such as 'P0")),
        Case("truncated inside the initial state", "C MP\n{ x=0; y=", Error(2, 10, "expected an integer initial value for 'y', found end of file")),
        Case("truncated inside a thread", Lines(1, 4), Error(5, 1, "unexpected end of file in thread P0: missing '}'")),
        Case("truncated inside a call", Lines(1, 3) + "  atomic_store_explicit(x, 1, memory_o",
            Error(4, 39, "expected ')' to close the arguments of 'atomic_store_explicit', found end of file")),
        Case("truncated before the condition", Lines(1, 10),
            Error(11, 1, "expected the final condition ('exists', '~exists' or 'forall'), found end of file")),
        Case("truncated inside the condition", Lines(1, 10) + "exists (1:r0=1 /\\",
            Error(11, 18, "expected a register such as '1:r0' or a location such as 'x' in the final condition, found end of file")),
        Case("truncated inside the comment string", "C MP\n\"PodWW Rfe\n", Error(2, 1, "unterminated comment string: '\"' has no matching '\"'")),
        Case("truncated inside a block comment", Lines(1, 4) + "  /* never closed\n", Error(5, 3, "unterminated comment: '/*' has no matching '*/'")),
        Case("truncated inside an OCaml comment", "C MP\n{ x=0; }\n(* never closed", Error(3, 1, "unterminated comment: '(*' has no matching '*)'")),

        // ------------------------------------------------------------ wrong brackets
        Case("initial state closed by ']'", Edit("y=0; }", "y=0; ]"),
            Error(2, 13, "expected an initial value such as 'x=0', '[x]=0' or '0:r0=1', found ']'")),
        Case("initial state in parentheses", Edit("{ x=0; y=0; }", "( x=0; y=0; )"),
            Error(2, 1, "expected a 'Key=Value' header line or the initial state '{', found '('")),
        Case("thread body opened with '['", Edit("atomic_int* y) {\n  atomic_store", "atomic_int* y) [\n  atomic_store"),
            Error(3, 35, "expected '{' to start the body of P0, found '['")),
        Case("parameter list closed by ']'", Edit("atomic_int* y) {\n  atomic_store", "atomic_int* y] {\n  atomic_store"),
            Error(3, 33, "expected ')' to close the parameter list of P0, found ']'")),
        Case("condition closed by ']'", Edit("1:r1=0)", "1:r1=0]"), Error(11, 25, "expected ')' to close '(' in the final condition, found ']'")),
        Case("stray '}' between threads", Edit("}\nP1", "}}\nP1"),
            Error(6, 2, "expected a thread such as 'P1 (atomic_int* x) { ... }', found '}'")),
        Case("if condition without ')'", Edit("  atomic_store_explicit(x,", "  if (1 { } atomic_store_explicit(x,"),
            Error(4, 9, "expected ')' to close the condition of 'if', found '{'")),
        Case("call without ')'", Edit("memory_order_acquire);", "memory_order_acquire;"),
            Error(8, 56, "expected ')' to close the arguments of 'atomic_load_explicit', found ';'")),
        Case("expression with an unclosed '('", Edit("int r0 = atomic", "int r0 = (atomic"), Error(8, 58, "expected ')' to close '(', found ';'")),
        Case("locations clause without ']'", Edit("}\nexists", "}\nlocations [x; y;\nexists"),
            Error(12, 1, "expected ']' to close the '[' of 'locations', found 'exists'")),

        // ------------------------------------------------------------ memory orders
        Case("misspelt order", Edit("memory_order_acquire", "memory_order_aquire"), Error(8, 36, "unknown memory order 'memory_order_aquire'")),
        Case("order without its prefix", Edit("1, memory_order_relaxed", "1, relaxed"),
            Error(4, 31, "expected a memory order such as 'memory_order_relaxed' as argument 3 of 'atomic_store_explicit', found 'relaxed'")),
        Case("order given as a number", Edit("x, memory_order_relaxed", "x, 0"),
            Error(9, 36, "expected a memory order such as 'memory_order_relaxed' as argument 2 of 'atomic_load_explicit', found '0'")),
        Case("C++ scoped order", Edit("1, memory_order_relaxed", "1, memory_order::relaxed"),
            Error(4, 31, "'memory_order::relaxed' is the C++ spelling: write 'memory_order_relaxed'")),
        Case("C++ order in namespace std", Edit("memory_order_acquire", "std::memory_order_acquire"),
            Error(8, 36, "'std::memory_order_acquire' is the C++ spelling: write 'memory_order_acquire'")),
        Case("fence with an unknown order", Edit("  atomic_store_explicit(x, 1, memory_order_relaxed);", "  atomic_thread_fence(memory_order_strong);"),
            Error(4, 23, "unknown memory order 'memory_order_strong'")),
        Case("acquire store", Edit("memory_order_release", "memory_order_acquire"),
            Error(5, 31, "'memory_order_acquire' is not a valid order for a store: C++ forbids consume, acquire and acq_rel stores")),
        Case("release load", Edit("memory_order_acquire", "memory_order_release"), Error(8, 36, "not a valid order for a load")),

        // ------------------------------------------------------------ binary files
        Case("PNG file", () => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52],
            Error(3, 1, "the file contains a NUL character: is it a binary file?")),
        Case("ELF file", () => [0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01, 0x01, 0x00, 0x00, 0x00], Error(1, 8, "NUL character")),
        Case("gzip file", () => [0x1F, 0x8B, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03], Error(1, 4, "NUL character")),
        Case("control characters after the initial state", () => Join(Encode("C T\n{ x=0; }\n"), [0x01, 0x02, 0x03, 0xFF, 0x80, 0x7F]),
            Error(3, 1, "unexpected character U+0001")),
        Case("terminal escape sequence in a thread", () => Join(Encode(Lines(1, 3) + "  "), [0xC0, 0xAF, 0x1B], Encode("[31m\n" + Lines(5, 11))),
            Error(4, 3, "unexpected character U+FFFD (bytes that are not valid UTF-8)")),
        Case("UTF-16 file without a byte-order mark", () => Encoding.Unicode.GetBytes(MessagePassing), Error(1, 2, "NUL character")),
        Case("NUL byte in a thread", Edit("  int r1", "  int\0 r1"), Error(9, 6, "NUL character")),

        // ------------------------------------------------------------ numbers
        Case("initial value above the int range", Edit("x=0;", "x=2147483648;"),
            Error(2, 5, "integer constant '2147483648' is out of range: values are 32-bit ints, from -2147483648 to 2147483647")),
        Case("initial value below the int range", Edit("y=0;", "y=-2147483649;"), Error(2, 11, "integer constant '-2147483649' is out of range")),
        Case("stored value above the int range", Edit("(x, 1,", "(x, 4294967296,"), Error(4, 28, "integer constant '4294967296' is out of range")),
        Case("hexadecimal value above the int range", Edit("(y, 1,", "(y, 0x80000000,"), Error(5, 28, "integer constant '0x80000000' is out of range")),
        Case("condition value above the int range", Edit("1:r0=1", "1:r0=2147483648"), Error(11, 14, "integer constant '2147483648' is out of range")),
        Case("register initial value of 20 digits", Edit("y=0; }", "y=0; 1:r0=99999999999999999999; }"),
            Error(2, 18, "integer constant '99999999999999999999' is out of range")),
        Case("number of 300 digits", Edit("(x, 1,", $"(x, {new string('7', 300)},"),
            Error(4, 28, "number of 300 characters is too long: at most 255 are accepted")),
        Case("thread number beyond the int range", Edit("P1 (", "P99999999999 ("), Error(7, 1, "expected thread P1, found P99999999999")),
        Case("condition thread number beyond the int range", Edit("(1:r0=1", "(99999999999:r0=1"), Error(11, 9, "invalid thread number '99999999999'")),
        Case("malformed number", Edit("(x, 1,", "(x, 12L,"), Error(4, 28, "invalid integer constant '12L'")),

        // ------------------------------------------------------------ very long lines
        Case("1 MB name", Edit("  atomic_store_explicit(y", $"  {new string('a', Megabyte)};\n  atomic_store_explicit(y"),
            Error(5, 3, $"name of {Megabyte} characters is too long: at most 255 are accepted")),
        Case("1 MB line of stray characters", Edit("  atomic_store_explicit(y", $"  {new string('@', Megabyte)}\n  atomic_store_explicit(y"),
            Error(5, 3, "unexpected character '@'")),
        Case("1 MB expression", Edit("}\nP1", $"  int r2 = 1{Repeat(" + 1", Megabyte / 4)};\n}}\nP1"),
            Error(6, 14 + 63 * 4, "expression is nested deeper than 64 levels")),
        Case("1 MB of nested calls", Edit("}\nP1", $"  int r2 = {Repeat("atomic_exchange(x, ", Megabyte / 19)}1;\n}}\nP1"),
            Error(6, 12 + 64 * 19, "nesting is deeper than 64 levels")),

        // ------------------------------------------------------------ character encoding
        Case("byte-order mark before an error", () => Join(ByteOrderMark, Encode(Edit("C MP", "PPC MP")())),
            Error(1, 1, "architecture 'PPC' is not supported by the C parser")),
        Case("byte-order mark inside a thread", Edit("  atomic_store_explicit(x", "  \uFEFFatomic_store_explicit(x"),
            Error(4, 3, "unexpected character U+FEFF (a byte-order mark, allowed only at the start of the file)")),
        Case("invalid UTF-8 byte in code", () => Join(Encode(Lines(1, 7) + "  "), [0xFF], Encode(Lines(8, 11).TrimStart())),
            Error(8, 3, "unexpected character U+FFFD (bytes that are not valid UTF-8)")),
        Case("overlong UTF-8 encoding", () => Join(Encode(Lines(1, 8)), [0xC0, 0xAF], Encode(Lines(9, 11))),
            Error(9, 1, "U+FFFD (bytes that are not valid UTF-8)")),
        Case("UTF-8 encoded surrogate", () => Join(Encode(Lines(1, 8)), [0xED, 0xA0, 0x80], Encode(Lines(9, 11))),
            Error(9, 1, "U+FFFD (bytes that are not valid UTF-8)")),
        Case("UTF-8 sequence cut at the end of the file", () => Join(Encode(MessagePassing), [0xE2, 0x82]),
            Error(12, 1, "U+FFFD (bytes that are not valid UTF-8)")),
        Case("right-to-left mark in code", Edit("int r0 =", "int\u200F r0 ="), Error(8, 6, "unexpected character U+200F (an invisible formatting character)")),
        Case("right-to-left override in code", Edit("(x, 1,", "(x, \u202E1,"), Error(4, 28, "unexpected character U+202E (an invisible formatting character)")),
        Case("zero-width space between tokens", Edit("int r0 =", "int r0\u200B ="), Error(8, 9, "unexpected character U+200B")),
        Case("no-break space between tokens", Edit("int r1", "int\u00A0r1"), Error(9, 6, "unexpected character U+00A0 (a non-ASCII space)")),
        Case("non-ASCII letter in a name", Edit("}\nP1", "  int caf\u00E9 = 1;\n}\nP1"),
            Error(6, 10, "unexpected character '\u00E9' (U+00E9): names are made of ASCII letters, digits and '_'")),
        Case("Cyrillic letter that looks Latin", Edit("explicit(x, 1", "explicit(\u0445, 1"), Error(4, 25, "unexpected character '\u0445' (U+0445)")),
        Case("emoji in an expression", Edit("}\nP1", "  int r2 = \U0001F600;\n}\nP1"), Error(6, 12, "unexpected character '\U0001F600' (U+1F600)")),
        Case("lone carriage returns as line ends", () => Encode(Edit("memory_order_acquire", "memory_order_aquire")().Replace('\n', '\r')),
            Error(8, 36, "unknown memory order 'memory_order_aquire'")),
        Case("CRLF line ends", () => Encode(Edit("memory_order_acquire", "memory_order_aquire")().Replace("\n", "\r\n")),
            Error(8, 36, "unknown memory order 'memory_order_aquire'")),

        // ------------------------------------------------------------ names the test does not define
        Case("undeclared register in the condition", Edit("1:r1=0", "1:r2=0"), Error(11, 19, "register 'r2' is never declared or assigned in P1")),
        Case("register of a missing thread in the condition", Edit("1:r1=0", "2:r1=0"), Error(11, 19, "'2:r1' refers to thread P2, which does not exist")),
        Case("unknown location in the condition", Edit("1:r1=0", "z=0"),
            Error(11, 19, "location 'z' is not in the test: it is neither initialised nor a thread parameter")),
        Case("location that is not a parameter of its thread", Edit("P1 (atomic_int* x, atomic_int* y)", "P1 (atomic_int* y)"),
            Error(9, 33, "'x' is not a parameter of P1")),
        Case("register read before it is set", Edit("x, memory_order_relaxed);\n}\nexists", "x, memory_order_relaxed) + r7;\n}\nexists"),
            Error(9, 60, "register 'r7' is used before being declared or assigned in P1")),

        // ------------------------------------------------------------ threads
        Case("thread numbers repeated", () => Encode(Threads(0, 1, 1, 2, 2)),
            Error(5, 1, "thread P1 is defined twice"), Error(7, 1, "thread P2 is defined twice")),
        Case("thread number skipped", () => Encode(Threads(0, 2, 3)), Error(4, 1, "expected thread P1, found P2: threads are numbered in order from P0")),
        Case("empty thread", Edit("  int r0 = atomic_load_explicit(y, memory_order_acquire);\n  int r1 = atomic_load_explicit(x, memory_order_relaxed);\n}\nexists (1:r0=1 /\\ 1:r1=0)", "}\nexists (x=1)"),
            Error(7, 1, "thread P1 is empty: a thread needs at least one statement")),
        Case("17 threads", () => Encode(Threads([.. Enumerable.Range(0, 17)])),
            Error(19, 1, "too many threads: P16 is thread number 17, and the runner runs at most 16")),

        // ------------------------------------------------------------ constructs the harness does not run
        Case("atomic_fetch_xor_explicit", Edit("  atomic_store_explicit(x, 1, memory_order_relaxed);", "  atomic_fetch_xor_explicit(x, 1, memory_order_relaxed);"),
            Error(4, 3, "'atomic_fetch_xor_explicit' is not supported: .NET has no Interlocked xor")),
        Case("Linux-kernel READ_ONCE", Edit("atomic_load_explicit(y, memory_order_acquire)", "READ_ONCE(*y)"),
            Error(8, 12, "'READ_ONCE' is not supported: it is a Linux-kernel primitive; write atomic_load_explicit(x, memory_order_relaxed)")),
        Case("unknown function", Edit("atomic_load_explicit(y, memory_order_acquire)", "load(y)"), Error(8, 12, "unknown function 'load'")),
        Case("compound assignment", Edit("}\nexists", "  r1 += 1;\n}\nexists"), Error(10, 6, "compound assignment '+=' is not supported: write 'r1 = r1 + ...'")),
        Case("conditional operator", Edit("int r1 = atomic_load_explicit(x, memory_order_relaxed)", "int r1 = r0 ? 1 : 0"),
            Error(9, 15, "unexpected character '?': the conditional operator '?:' is not supported: use 'if'")),
        Case("preprocessor directive", Edit("}\nP0", "}\n#include <stdatomic.h>\nP0"),
            Error(3, 1, "unexpected character '#': preprocessor directives such as '#include' are not supported")),
        Case("character constant", Edit("(x, 1,", "(x, 'a',"), Error(4, 28, "unexpected character \"'\": character constants are not supported: write the number")),
        Case("string constant", Edit("(x, 1,", "(x, \"one\","), Error(4, 28, "strings are not supported")),
        Case("floating-point constant", Edit("(x, 1,", "(x, 1.5,"), Error(4, 29, "structure members and floating-point numbers are not supported")),
        Case("array location", Edit("{ x=0;", "{ int x[2];"), Error(2, 8, "array location 'x' is not supported: a location holds one integer")),
        Case("address of a location", Edit("explicit(y, memory_order_acquire", "explicit(&y, memory_order_acquire"),
            Error(8, 33, "found '&': locations are passed as pointers, so write 'x', not '&x'")),
        Case("counted for loop", Edit("  atomic_store_explicit(x, 1, memory_order_relaxed);", "  for (int i = 0; i < 2; i++) atomic_store_explicit(x, 1, memory_order_relaxed);"),
            Error(4, 3, "'for' statements are not supported, except the endless 'for (;;)' that diy7 writes")),
        Case("goto", Edit("}\nP1", "  goto end;\n}\nP1"), Error(6, 3, "'goto' statements are not supported")),
        Case("filter clause", Edit("}\nexists", "}\nfilter (1:r0=1)\nexists"), Error(11, 1, "'filter' clauses are not supported")),

        // ------------------------------------------------------------ everything at once
        Case("independent problems are all reported",
            () => Encode(Edit("memory_order_relaxed);\n  atomic_store_explicit(y, 1", "memory_order_relax);\n  atomic_fetch_xor_explicit(y, 1")()
                .Replace("x, memory_order_relaxed);\n}", "x, memory_order_relaxed) + r5;\n}")
                .Replace("1:r1=0", "1:r1=4294967296 /\\ z=1")),
            Error(4, 31, "unknown memory order 'memory_order_relax'"),
            Error(5, 3, "'atomic_fetch_xor_explicit' is not supported"),
            Error(9, 60, "register 'r5' is used before being declared or assigned in P1"),
            Error(11, 24, "integer constant '4294967296' is out of range"),
            Error(11, 38, "location 'z' is not in the test")),
    ];

    /// <summary>Unusual but valid files: they must parse.</summary>
    public static IReadOnlyList<(string Name, Func<byte[]> Content)> Accepted { get; } =
    [
        ("byte-order mark", () => Join(ByteOrderMark, Encode(MessagePassing))),
        ("UTF-16 with a byte-order mark", () => Join([0xFF, 0xFE], Encoding.Unicode.GetBytes(MessagePassing))),
        ("CRLF line ends", () => Encode(MessagePassing.Replace("\n", "\r\n"))),
        ("lone carriage returns as line ends", () => Encode(MessagePassing.Replace('\n', '\r'))),
        ("tabs for indentation", () => Encode(MessagePassing.Replace("  ", "\t"))),
        ("no line break at the end", () => Encode(MessagePassing.TrimEnd('\n'))),
        ("invalid UTF-8 in a comment", () => Join(Encode("C MP\n// caf"), [0xE9, 0xFF], Encode("\n" + Lines(2, 11)))),
        ("non-ASCII text in the comment string", () => Encode(MessagePassing.Replace("C MP\n", "C MP\n\"\u00E9t\u00E9 \u200F \U0001F600\"\n"))),
        ("1 MB comment line", () => Encode(MessagePassing.Replace("C MP\n", $"C MP\n// {new string('c', Megabyte)}\n"))),
        ("1 MB test name", () => Encode(MessagePassing.Replace("C MP\n", $"C MP{new string('+', Megabyte)}\n"))),
        ("1 MB condition", () => Encode(MessagePassing.Replace("exists (1:r0=1 /\\ 1:r1=0)", $"exists (1:r0=1{Repeat(" \\/ 1:r1=0", Megabyte / 10)})"))),
        ("the extreme int values", () => Encode(MessagePassing.Replace("x=0;", "x=-2147483648;").Replace("(y, 1,", "(y, 0x7fffffff,"))),
        ("16 threads", () => Encode(Threads([.. Enumerable.Range(0, 16)]))),
    ];

    /// <summary>Writes the case's bytes into <paramref name="folder"/>, under a name made from the case's, and returns the path.</summary>
    public static string WriteInto(string folder, string caseName, Func<byte[]> content)
    {
        var fileName = new string([.. caseName.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-')]) + ".litmus";
        var path = Path.Combine(folder, fileName);
        File.WriteAllBytes(path, content());
        return path;
    }

    private static MalformedCase Case(string name, Func<byte[]> content, params ExpectedError[] errors) => new(name, content, errors);

    private static MalformedCase Case(string name, Func<string> text, params ExpectedError[] errors) => Case(name, () => Encode(text()), errors);

    private static MalformedCase Case(string name, string text, params ExpectedError[] errors) => Case(name, () => Encode(text), errors);

    private static ExpectedError Error(int line, int column, string fragment) => new(line, column, fragment);

    /// <summary><see cref="MessagePassing"/> with its one occurrence of <paramref name="find"/> replaced, built when the case runs.</summary>
    private static Func<string> Edit(string find, string replacement) => () =>
    {
        var at = MessagePassing.IndexOf(find, StringComparison.Ordinal);
        if (at < 0 || MessagePassing.IndexOf(find, at + 1, StringComparison.Ordinal) >= 0)
        {
            throw new ArgumentException($"'{find}' must occur exactly once in the message-passing test", nameof(find));
        }
        return string.Concat(MessagePassing.AsSpan(0, at), replacement, MessagePassing.AsSpan(at + find.Length));
    };

    /// <summary>Lines <paramref name="first"/> to <paramref name="last"/> (1-based, inclusive) of <see cref="MessagePassing"/>, with their line breaks.</summary>
    private static string Lines(int first, int last) =>
        string.Concat(MessagePassing.Split('\n').Skip(first - 1).Take(last - first + 1).Select(line => line + "\n"));

    /// <summary>A test whose thread headers carry <paramref name="numbers"/> in order, one per line from line 3, each thread storing to x.</summary>
    private static string Threads(params int[] numbers) =>
        "C T\n{ x=0; }\n"
        + string.Concat(numbers.Select(number => $"P{number} (atomic_int* x) {{ atomic_store_explicit(x, 1, memory_order_relaxed); }}\n"))
        + "exists (x=1)\n";

    private static string Repeat(string text, int count) => string.Concat(Enumerable.Repeat(text, count));

    private static byte[] Encode(string text) => Encoding.UTF8.GetBytes(text);

    private static byte[] Join(params byte[][] parts) => [.. parts.SelectMany(part => part)];
}

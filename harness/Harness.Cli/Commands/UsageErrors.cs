using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Harness.Cli.Commands;

/// <summary>
/// What is wrong with a command line, in one line, before anything runs. System.CommandLine takes
/// a misspelled option where paths are expected (<c>run DIR --iteration 5</c>) for two more paths,
/// and the run would go ahead with the default settings; its own messages can span lines
/// (<c>Must be one of:</c> a list) or name .NET types rather than what the option wants.
/// </summary>
public static class UsageErrors
{
    /// <summary>The problem with <paramref name="parse"/>, or null when it may run.</summary>
    public static string? Describe(ParseResult parse)
    {
        if (UnknownOption(parse) is { } unknown) return unknown;
        if (UnknownCommand(parse) is { } command) return command;
        if (parse.Errors.Count == 0) return null;
        return string.Join("; ", parse.Errors.Select(Describe).Distinct());
    }

    /// <summary>
    /// The first token before any <c>--</c> that looks like an option but that no option took,
    /// whether the command's arguments swallowed it or nothing did.
    /// </summary>
    private static string? UnknownOption(ParseResult parse)
    {
        var takenByOptions = new HashSet<Token>(ReferenceEqualityComparer.Instance);
        CollectOptionTokens(parse.RootCommandResult, takenByOptions);
        foreach (var token in parse.Tokens)
        {
            if (token.Type == TokenType.DoubleDash) break;
            if (token.Type != TokenType.Argument || !LooksLikeOption(token.Value) || takenByOptions.Contains(token)) continue;
            var command = parse.CommandResult.Command;
            var name = token.Value.Split('=', 2)[0];
            var where = command is RootCommand ? "" : $" for '{command.Name}'";
            var nearest = Nearest(name, KnownOptionNames(command));
            return nearest is not null
                ? $"unknown option '{name}'{where}; did you mean '{nearest}'?"
                : $"unknown option '{name}'{where} (see 'harness {(command is RootCommand ? "" : command.Name + " ")}--help')";
        }
        return null;
    }

    /// <summary>'-' alone is a path by convention; '-5' is an option too, as no command takes a negative number where a path goes.</summary>
    private static bool LooksLikeOption(string token) => token.Length > 1 && token[0] == '-';

    private static void CollectOptionTokens(SymbolResult result, HashSet<Token> tokens)
    {
        if (result is OptionResult option) tokens.UnionWith(option.Tokens);
        if (result is CommandResult command)
            foreach (var child in command.Children)
                CollectOptionTokens(child, tokens);
    }

    /// <summary>A misspelled command ('simulat') at the top level.</summary>
    private static string? UnknownCommand(ParseResult parse)
    {
        if (parse.CommandResult.Command is not RootCommand root || parse.UnmatchedTokens.Count == 0) return null;
        var name = parse.UnmatchedTokens[0];
        var commands = root.Subcommands.Where(c => !c.Hidden).Select(c => c.Name).ToList();
        var nearest = Nearest(name, commands);
        return $"unknown command '{name}'; " + (nearest is not null ? $"did you mean '{nearest}'?" : $"the commands are {string.Join(", ", commands)}");
    }

    private static IEnumerable<string> KnownOptionNames(Command command)
    {
        var inherited = command.Parents.OfType<Command>().SelectMany(parent => parent.Options.Where(o => o.Recursive));
        return command.Options.Concat(inherited).Where(o => !o.Hidden).SelectMany(o => o.Aliases.Prepend(o.Name)).Distinct();
    }

    /// <summary>
    /// The known name a mistyped one most likely meant: the shortest that it begins (--iter) or the
    /// closest by edit distance, allowing a typo for every three letters; null when none is that close.
    /// </summary>
    public static string? Nearest(string typed, IEnumerable<string> known)
    {
        var candidates = known.ToList();
        var bare = typed.TrimStart('-');
        // One letter ('-x') is as near to every short option as to any other.
        if (bare.Length <= 1) return null;
        if (bare.Length >= 3)
        {
            var completed = candidates.Where(c => c.TrimStart('-').StartsWith(bare, StringComparison.OrdinalIgnoreCase))
                .OrderBy(c => c.Length).FirstOrDefault();
            if (completed is not null) return completed;
        }
        var allowed = Math.Max(1, bare.Length / 3);
        return candidates
            .Select(c => (Name: c, Distance: EditDistance(bare.ToLowerInvariant(), c.TrimStart('-').ToLowerInvariant())))
            .Where(c => c.Distance <= allowed)
            .OrderBy(c => c.Distance).ThenBy(c => c.Name.StartsWith("--", StringComparison.Ordinal) ? 0 : 1)
            .Select(c => c.Name).FirstOrDefault();
    }

    /// <summary>Levenshtein distance with transpositions counted as one edit (optimal string alignment).</summary>
    public static int EditDistance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
        for (var j = 1; j <= b.Length; j++)
        {
            var cost = a[i - 1] == b[j - 1] ? 0 : 1;
            d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
        }
        return d[a.Length, b.Length];
    }

    private static string Describe(ParseError error)
    {
        var option = error.SymbolResult switch
        {
            OptionResult result => result,
            ArgumentResult { Parent: OptionResult result } => result,
            _ => null,
        };
        if (option is not null && NotANumber(option) is { } number) return number;
        // "Must be one of:" followed by one value a line.
        var lines = error.Message.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var message = lines.Length <= 1 ? error.Message.Trim() : lines[0] + " " + string.Join(", ", lines.Skip(1));
        var name = option?.Option.Name;
        return name is null || message.Contains(name, StringComparison.Ordinal) ? message : $"{name}: {message}";
    }

    /// <summary>"--iterations: 'abc' is not a whole number", where System.CommandLine names the type System.Int64.</summary>
    private static string? NotANumber(OptionResult result)
    {
        var type = Nullable.GetUnderlyingType(result.Option.ValueType) ?? result.Option.ValueType;
        var name = result.Option.Name;
        foreach (var value in result.Tokens.Select(t => t.Value))
        {
            if (type == typeof(int) || type == typeof(long))
            {
                if (!long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var whole))
                    return $"{name}: '{value}' is not a whole number";
                if (type == typeof(int) && whole is < int.MinValue or > int.MaxValue)
                    return $"{name}: {value} is out of range (at most {int.MaxValue:N0})";
            }
            else if (type == typeof(double) && !double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
                return $"{name}: '{value}' is not a number";
        }
        return null;
    }
}

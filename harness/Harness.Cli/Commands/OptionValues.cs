using System.CommandLine.Parsing;

namespace Harness.Cli.Commands;

/// <summary>Reading an option's value inside a validator, which runs even when the text did not convert.</summary>
internal static class OptionValues
{
    /// <summary>
    /// The option's value, or false when its text is not a value of the type (--iterations abc):
    /// the parser reports that itself, as a one-line usage error, once the validators are done.
    /// </summary>
    public static bool TryGet<T>(OptionResult result, out T? value)
    {
        try
        {
            value = result.GetValueOrDefault<T>();
            return true;
        }
        catch (InvalidOperationException)
        {
            value = default;
            return false;
        }
    }
}

using System.CommandLine;

namespace Harness.Cli.Commands;

/// <summary><c>--profiles default|all</c>: which arm64 profiles qemu reads, for the commands that read arm64 code.</summary>
public static class Arm64ProfilesOption
{
    public static Option<string> Create()
    {
        var profiles = new Option<string>("--profiles")
        {
            Description = "arm64 profiles read: default (qemu's default CPU as lse-rcpc, and a Cortex-A57 as v8.0) or all " +
                          "(every combination of LSE, RCpc and RCpc2 switched off on the default CPU, and the Cortex-A57)",
            DefaultValueFactory = _ => "default",
        };
        profiles.AcceptOnlyFromAmong("default", "all");
        return profiles;
    }

    public static bool AllOf(ParseResult parse, Option<string> profiles) => parse.GetValue(profiles) == "all";
}

using Harness.Cli;

namespace Harness.Tests.Cli;

/// <summary>The root is built with only the subcommand a command line names, so every name must build its own command.</summary>
public class CommandTreeTests
{
    [Test]
    public void Every_name_builds_the_command_of_that_name()
    {
        foreach (var name in CommandTree.Names)
            Assert.That(CommandTree.Create(name).Name, Is.EqualTo(name));
    }

    [Test]
    public void A_named_subcommand_is_built_alone()
    {
        var root = CommandTree.Build(["simulate", "x.litmus", "--json"]);

        Assert.That(root.Subcommands.Select(c => c.Name), Is.EqualTo(new[] { "simulate" }));
    }

    [Test]
    public void Help_a_typo_or_no_command_get_the_whole_tree()
    {
        foreach (string[] args in new[] { new[] { "--help" }, ["simul", "x.litmus"], [], ["--version", "simulate"] })
            Assert.That(CommandTree.Build(args).Subcommands.Select(c => c.Name), Is.EqualTo(CommandTree.Names), string.Join(' ', args));
    }

    [Test]
    public void A_lone_version_needs_no_subcommand() =>
        Assert.That(CommandTree.Build(["--version"]).Subcommands, Is.Empty);
}

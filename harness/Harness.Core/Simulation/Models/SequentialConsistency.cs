using Harness.Simulation.Executions;
using Harness.Programs;

namespace Harness.Simulation.Models;

/// <summary>Lamport's sequential consistency over the C++ events (herd's sc.cat).</summary>
public sealed class SequentialConsistency : MemoryModel
{
    public override string Name => "sc";
    public override ProgramLevel Level => ProgramLevel.Language;

    public override Judgement Judge(Execution x)
    {
        var com = x.Rf | x.Co | x.Fr;
        return Require.Acyclic(x.Po | com, "sc")
            ?? Require.Empty(x.Rmw & x.Fre.Then(x.Coe), "atomicity")
            ?? Judgement.Consistent;
    }
}

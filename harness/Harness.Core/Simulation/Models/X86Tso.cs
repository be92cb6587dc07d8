using Harness.Simulation.Executions;
using Harness.Programs;

namespace Harness.Simulation.Models;

/// <summary>
/// x86-TSO (Owens, Sarkar, Sewell 2009), as herd's x86tso.cat states it, over the instructions
/// the JIT emits on x64. Only a store followed by a load of another location may be reordered,
/// unless an MFENCE or a locked instruction stands between them.
/// </summary>
public sealed class X86Tso : MemoryModel
{
    public override string Name => "tso";
    public override ProgramLevel Level => ProgramLevel.X64;

    public override Judgement Judge(Execution x)
    {
        var (R, W, M) = (x.R, x.W, x.M);
        var locked = x.Tagged(EventTag.Locked);
        var mfences = x.Tagged(EventTag.MFence) & x.F;

        var com = x.Rf | x.Co | x.Fr;
        var poMem = x.Po.Between(M, M);
        var poWR = poMem.Between(W, R);
        var ppo = poMem - poWR;
        var implied = poWR.To(locked) | poWR.From(locked);
        var mfence = x.Po.To(mfences).Then(x.Po).Between(M, M);
        var ghb = mfence | implied | ppo | x.Rfe | x.Fr | x.Co;

        return Require.Acyclic(x.PoLoc | com, "uniproc")
            ?? Require.Empty(x.Rmw & x.Fre.Then(x.Coe), "atomicity")
            ?? Require.Acyclic(ghb, "tso")
            ?? Judgement.Consistent;
    }
}

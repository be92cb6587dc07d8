using Harness.Simulation.Executions;
using Harness.Programs;

namespace Harness.Simulation.Models;

/// <summary>
/// Repaired C11 (Lahav et al., PLDI 2017), as herd's rc11.cat states it. <see cref="Cpp20"/> is
/// the same model without the no-thin-air axiom, which C++20 did not adopt.
/// </summary>
public class Rc11 : MemoryModel
{
    public override string Name => "rc11";
    public override ProgramLevel Level => ProgramLevel.Language;

    /// <summary>Whether <c>acyclic(sb | rf)</c> holds, forbidding load buffering.</summary>
    protected virtual bool ForbidsLoadBuffering => true;

    public override Judgement Judge(Execution x)
    {
        var (R, W, F) = (x.R, x.W, x.F);
        var rlx = x.Tagged(EventTag.Relaxed | EventTag.Acquire | EventTag.Release | EventTag.AcqRel | EventTag.SeqCst);
        var rel = x.Tagged(EventTag.Release | EventTag.AcqRel | EventTag.SeqCst);
        var acq = x.Tagged(EventTag.Acquire | EventTag.AcqRel | EventTag.SeqCst);
        var sc = x.Tagged(EventTag.SeqCst);
        var fenceSc = F & sc;

        var (sb, mo, rf) = (x.Po, x.Co, x.Rf);
        var myRmw = x.Id(x.SingleRmw) | x.Rmw;
        var rb = x.Fr;
        var eco = (rf | mo | rb).Plus();

        var rs = x.Id(W).Then((sb & x.Loc).Opt()).To(W & rlx).Then(rf.Then(myRmw).Star());
        var sw = x.Id(rel).Then(sb.From(F).Opt()).Then(rs).Then(rf).To(R & rlx)
            .Then(sb.To(F).Opt()).To(acq);
        var hb = (sb | sw).Plus();

        var sbl = sb - x.Loc;
        var hbl = hb & x.Loc;
        var scb = sb | sbl.Then(hb).Then(sbl) | hbl | mo | rb;
        var pscb = (x.Id(sc) | hb.Opt().From(fenceSc)).Then(scb).Then(x.Id(sc) | hb.Opt().To(fenceSc));
        var pscf = (hb | hb.Then(eco).Then(hb)).Between(fenceSc, fenceSc);
        var psc = pscb | pscf;

        var verdict = Require.Irreflexive(hb.Then(eco.Opt()), "coherence")
            ?? Require.Irreflexive(myRmw.Then(eco), "coherence-rmw")
            ?? Require.Empty(myRmw & rb.Then(mo), "atomicity")
            ?? Require.Acyclic(psc, "sc")
            ?? (ForbidsLoadBuffering ? Require.Acyclic(sb | rf, "no-thin-air") : null);
        if (verdict is not null) return verdict;

        var conflicting = (x.Cross(W, x.All) | x.Cross(x.All, W)) & x.Loc;
        conflicting -= x.Cross(x.IW, x.All) | x.Cross(x.All, x.IW);
        var atomic = x.Tagged(EventTag.Relaxed | EventTag.Acquire | EventTag.Release | EventTag.AcqRel | EventTag.SeqCst);
        var race = (conflicting & x.Ext) - (hb | hb.Inverse() | x.Cross(atomic, atomic));
        return race.IsEmpty ? Judgement.Consistent : Judgement.ConsistentButRacy;
    }
}

/// <summary>C++20: RC11 with load buffering allowed (no no-thin-air axiom).</summary>
public sealed class Cpp20 : Rc11
{
    public override string Name => "cpp20";
    protected override bool ForbidsLoadBuffering => false;
}

using Harness.Simulation.Executions;
using Harness.Programs;

namespace Harness.Simulation.Models;

/// <summary>
/// Arm's ARMv8 application-level model (herd's aarch64.cat; Pulte et al., POPL 2018), over the
/// instructions the JIT emits on arm64. A = LDAR, Q = LDAPR, L = STLR; an LSE *AL atomic
/// reads with A and writes with L.
/// </summary>
public sealed class Armv8 : MemoryModel
{
    public override string Name => "arm64";
    public override ProgramLevel Level => ProgramLevel.Arm64;

    public override Judgement Judge(Execution x)
    {
        var (R, W) = (x.R, x.W);
        var A = x.Tagged(EventTag.AcquireSc);
        var Q = x.Tagged(EventTag.AcquirePc);
        var L = x.Tagged(EventTag.ReleaseL);
        var dmbFull = x.Tagged(EventTag.DmbFull) & x.F;
        var dmbLoad = x.Tagged(EventTag.DmbLoad) & x.F;
        var dmbStore = x.Tagged(EventTag.DmbStore) & x.F;
        var isb = x.Tagged(EventTag.Isb) & x.F;
        var noReturn = x.Tagged(EventTag.NoReturn);
        var amo = x.Rmw.Between(x.Tagged(EventTag.Amo), x.Tagged(EventTag.Amo));
        var (po, poLoc) = (x.Po, x.PoLoc);

        // lrs: a write and a later read of the same location on the same thread, no write between.
        var poLocThroughWrite = poLoc.To(W).Then(poLoc);
        var lrs = (poLoc - poLocThroughWrite).Between(W, R);

        var ca = x.Fr | x.Co;
        var obs = x.Rfe | x.Coe | x.Fre;
        var haz = poLoc.Between(R, R).Then(x.Fre.To(W));
        var lwfs = poLoc.To(W);
        var dob = x.Addr | x.Data
            | x.Ctrl.To(W)
            | (x.Ctrl | x.Addr.Then(po)).To(isb).Then(po).To(R)
            | x.Addr.Then(po).To(W)
            | (x.Addr | x.Data).Then(lrs).To(R);
        // aarch64deps.cat's pick dependencies: data flow that may also pass a CAS's comparison
        // (iico_ctrl), followed on through memory (lrs) as its pick-dtrm is. They order a write
        // after them (pob), or after what that write is locally ordered after (pick-lob), never a read.
        var pickDtrm = (x.PickAddr | x.PickData | lrs).Plus();
        var pickBasicDep = x.Id(R) | pickDtrm.From(R);
        var pickAddrDep = pickBasicDep.Then(x.PickAddr);
        var pickCtrlDep = pickBasicDep.Then(x.PickCtrl);
        var pob = (pickBasicDep | pickCtrlDep).To(W)
            | pickAddrDep.Then(po).To(W);
        var aob = x.Rmw
            | lrs.From(x.Rmw.Range()).To(A | Q);
        var bob = po.To(dmbFull).Then(po)
            | po.To(dmbLoad).Then(po).From(R - noReturn)
            | po.To(dmbStore).Then(po).Between(W, W)
            | po.From(amo.Between(A, L).Range())
            | po.Between(L, A)
            | po.From(A | Q)
            | po.To(L);
        var lob = (lwfs | dob | pob | aob | bob).Plus();
        var pickLob = pickBasicDep.Then(lob).To(W);
        var ob = (obs | haz | lob | pickLob).Plus();

        return Require.Acyclic(poLoc | ca | x.Rf, "internal")
            ?? Require.Empty(x.Rmw & x.Fre.Then(x.Coe), "atomic")
            ?? Require.Irreflexive(ob, "external")
            ?? Judgement.Consistent;
    }
}

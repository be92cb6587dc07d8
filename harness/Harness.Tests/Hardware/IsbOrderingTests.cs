using Harness.Language;
using Harness.Simulation;

namespace Harness.Tests.HardwareLitmus;

/// <summary>
/// herd's aarch64.cat orders a read after an ISB that a control dependency (or an address
/// dependency followed by program order) reaches: <c>(ctrl | addr; po); [ISB]; po; [R]</c> in
/// dob. Without the ISB, a control dependency orders only later writes, so the same shapes
/// without it stay allowed: these pairs show the clause is there and is no stronger than herd's.
/// </summary>
[TestFixture]
public sealed class IsbOrderingTests
{
    private const string Writer = """
        {
        0:X1=x; 0:X3=y;
        1:X1=y; 1:X3=x;
        }
         P0          | P1            ;
         MOV W0,#1   | LDR W0,[X1]   ;
         STR W0,[X1] | {0}   ;
         {1}      | {2}         ;
         MOV W2,#1   | {3}   ;
         STR W2,[X3] | LDR W2,[X3]   ;
        exists (1:X0=1 /\ 1:X2=0)
        """;

    private static string Verdict(string name, string writerBarrier, string dependency, string label, string isb)
    {
        var text = $"AArch64 {name}\n" + Writer.Replace("{0}", dependency).Replace("{1}", writerBarrier)
            .Replace("{2}", label).Replace("{3}", isb);
        var test = LitmusParser.Parse(text, name + ".litmus");
        return Simulator.Simulate(test, [ModelCatalog.Target(ModelCatalog.Arm64)]).Single().Verdict;
    }

    [TestCase("DMB SY")]
    [TestCase("DMB ST")]
    public void A_control_dependency_into_an_ISB_orders_the_later_read(string writerBarrier) =>
        Assert.That(Verdict("MP+ctrlisb", writerBarrier, "CBNZ W0,LC00", "LC00:", "ISB"), Is.EqualTo("forbidden"));

    [TestCase("DMB SY")]
    [TestCase("DMB ST")]
    public void A_control_dependency_alone_does_not_order_a_later_read(string writerBarrier) =>
        Assert.That(Verdict("MP+ctrl", writerBarrier, "CBNZ W0,LC00", "LC00:", "NOP"), Is.EqualTo("allowed"));

    [Test]
    public void An_ISB_with_no_dependency_into_it_orders_nothing() =>
        Assert.That(Verdict("MP+isb", "DMB SY", "NOP", "", "ISB"), Is.EqualTo("allowed"));

    [Test]
    public void An_address_dependency_followed_by_program_order_into_an_ISB_orders_the_later_read()
    {
        const string text = """
            AArch64 MP+dmb.sy+addr-po-isb
            {
            0:X1=x; 0:X3=y;
            1:X1=y; 1:X3=x; 1:X5=z;
            }
             P0          | P1                  ;
             MOV W0,#1   | LDR W0,[X1]         ;
             STR W0,[X1] | EOR W4,W0,W0        ;
             DMB SY      | LDR W6,[X5,W4,SXTW] ;
             MOV W2,#1   | ISB                 ;
             STR W2,[X3] | LDR W2,[X3]         ;
            exists (1:X0=1 /\ 1:X2=0)
            """;
        var test = LitmusParser.Parse(text, "MP+dmb.sy+addr-po-isb.litmus");
        Assert.That(Simulator.Simulate(test, [ModelCatalog.Target(ModelCatalog.Arm64)]).Single().Verdict, Is.EqualTo("forbidden"));
    }
}

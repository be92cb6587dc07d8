using Harness.Benchmarks;
using Harness.Mapping;
using Harness.Programs;

namespace Harness.Tests.Benchmarks;

/// <summary>The ordering benchmarks run exactly what scheme dotnet maps each ordering to, and every operation does what it declares.</summary>
public class MappingConsistencyTests
{
    private static IEnumerable<TestCaseData> Orderings() =>
        OrderingCase.All.Select((ordering, row) => new TestCaseData(ordering, row).SetArgDisplayNames(ordering.Name));

    [TestCaseSource(nameof(Orderings))]
    public void Each_ordering_row_runs_the_primitives_scheme_dotnet_maps_it_to(OrderingCase ordering, int row)
    {
        var measured = OrderingCosts.All[row];

        Assert.Multiple(() =>
        {
            Assert.That(measured.Name, Is.EqualTo(ordering.Name));
            Assert.That(measured.Primitives, Is.EqualTo(ordering.MappedBy(MappingScheme.Find("dotnet")!)));
        });
    }

    [Test]
    public void The_orderings_are_measured_under_the_default_scheme_and_cover_the_brief()
    {
        Assert.That(OrderingCosts.Scheme, Is.SameAs(MappingScheme.DotNet));
        Assert.That(OrderingCosts.All.Select(o => o.Name), Is.EqualTo(new[]
        {
            "load relaxed", "load acquire", "load seq_cst",
            "store relaxed", "store release", "store seq_cst",
            "fetch_add relaxed", "fetch_add acquire", "fetch_add release", "fetch_add acq_rel", "fetch_add seq_cst",
            "fence acquire", "fence release", "fence seq_cst",
        }));
    }

    [Test]
    public void A_seq_cst_store_is_measured_as_a_volatile_write_then_a_full_barrier()
    {
        var store = OrderingCosts.All.Single(o => o.Name == "store seq_cst");

        Assert.That(store.Primitives, Is.EqualTo(new[] { DotNetPrimitive.VolatileWrite, DotNetPrimitive.MemoryBarrier }));
        Assert.That(store.Executes, Is.EqualTo("VolatileWrite + MemoryBarrier"));
    }

    [Test]
    public void Every_primitive_has_an_operation_that_declares_it_and_is_measured_by_itself([Values] DotNetPrimitive primitive)
    {
        Assert.That(OperationLoop.For([primitive]).Primitives, Is.EqualTo(new[] { primitive }));
        Assert.That(PrimitiveCosts.All.Where(o => o.Primitives.SequenceEqual([primitive])), Is.Not.Empty,
            $"the primitives table measures {primitive} alone");
    }

    [Test]
    public void An_empty_mapping_is_measured_as_the_bare_loop()
    {
        Assert.That(OperationLoop.For([]).Primitives, Is.Empty);
        Assert.That(new MeasuredOperation(OperationGroup.Orderings, 0, "fence relaxed", OperationLoop.For([])).Executes, Is.EqualTo("nothing"));
    }
}

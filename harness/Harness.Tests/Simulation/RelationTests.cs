using Harness.Simulation.Relations;

namespace Harness.Tests.Simulation;

public class RelationTests
{
    private static Relation Rel(int size, params (int, int)[] pairs) => Relation.FromPairs(size, pairs);

    private static (int, int)[] PairsOf(Relation r) => r.Pairs().ToArray();

    [Test]
    public void Union_intersection_and_difference_work_pairwise()
    {
        var a = Rel(3, (0, 1), (1, 2));
        var b = Rel(3, (1, 2), (2, 0));
        Assert.Multiple(() =>
        {
            Assert.That(PairsOf(a | b), Is.EquivalentTo(new[] { (0, 1), (1, 2), (2, 0) }));
            Assert.That(PairsOf(a & b), Is.EquivalentTo(new[] { (1, 2) }));
            Assert.That(PairsOf(a - b), Is.EquivalentTo(new[] { (0, 1) }));
        });
    }

    [Test]
    public void Sequence_composes_relations()
    {
        var r = Rel(4, (0, 1), (0, 2));
        var s = Rel(4, (1, 3), (2, 3), (3, 0));
        Assert.That(PairsOf(r.Then(s)), Is.EquivalentTo(new[] { (0, 3) }));
    }

    [Test]
    public void Plus_is_the_transitive_closure()
    {
        var r = Rel(4, (0, 1), (1, 2), (2, 3));
        Assert.That(PairsOf(r.Plus()), Is.EquivalentTo(new[] { (0, 1), (0, 2), (0, 3), (1, 2), (1, 3), (2, 3) }));
    }

    [Test]
    public void Star_and_opt_add_the_identity()
    {
        var r = Rel(2, (0, 1));
        Assert.Multiple(() =>
        {
            Assert.That(PairsOf(r.Opt()), Is.EquivalentTo(new[] { (0, 0), (0, 1), (1, 1) }));
            Assert.That(PairsOf(r.Star()), Is.EquivalentTo(new[] { (0, 0), (0, 1), (1, 1) }));
        });
    }

    [Test]
    public void Inverse_swaps_pairs()
    {
        Assert.That(PairsOf(Rel(3, (0, 2), (1, 2)).Inverse()), Is.EquivalentTo(new[] { (2, 0), (2, 1) }));
    }

    [Test]
    public void Identity_filters_restrict_domain_and_range()
    {
        var r = Rel(3, (0, 1), (1, 2), (2, 0));
        var set = EventSet.Of(0).With(1);
        Assert.Multiple(() =>
        {
            Assert.That(PairsOf(Relation.Id(3, set).Then(r)), Is.EquivalentTo(PairsOf(r.From(set))));
            Assert.That(PairsOf(r.From(set)), Is.EquivalentTo(new[] { (0, 1), (1, 2) }));
            Assert.That(PairsOf(r.To(set)), Is.EquivalentTo(new[] { (0, 1), (2, 0) }));
            Assert.That(PairsOf(r.Between(set, set)), Is.EquivalentTo(new[] { (0, 1) }));
            Assert.That(r.Domain(), Is.EqualTo(EventSet.Range(0, 3)));
            Assert.That(Rel(3, (0, 2)).Range(), Is.EqualTo(EventSet.Of(2)));
        });
    }

    [Test]
    public void Cross_relates_every_pair()
    {
        var r = Relation.Cross(3, EventSet.Of(0), EventSet.Of(1).With(2));
        Assert.That(PairsOf(r), Is.EquivalentTo(new[] { (0, 1), (0, 2) }));
    }

    [Test]
    public void Acyclicity_and_irreflexivity()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Rel(3, (0, 1), (1, 2)).IsAcyclic, Is.True);
            Assert.That(Rel(3, (0, 1), (1, 2), (2, 0)).IsAcyclic, Is.False);
            Assert.That(Rel(2, (1, 1)).IsAcyclic, Is.False);
            Assert.That(Rel(3, (0, 1), (1, 0)).IsIrreflexive, Is.True);
            Assert.That(Rel(3, (0, 1), (1, 0)).Plus().IsIrreflexive, Is.False);
            Assert.That(Relation.Empty(5).IsEmpty, Is.True);
        });
    }

    [Test]
    public void Relations_span_all_64_events()
    {
        var r = Rel(64, (0, 63), (63, 62));
        Assert.Multiple(() =>
        {
            Assert.That(r.Plus().Contains(0, 62), Is.True);
            Assert.That(r.IsAcyclic, Is.True);
            Assert.That(EventSet.Range(0, 64).Count, Is.EqualTo(64));
        });
    }

    [Test]
    public void Without_identity_removes_only_the_diagonal()
    {
        Assert.That(PairsOf(Rel(2, (0, 0), (0, 1)).WithoutIdentity()), Is.EquivalentTo(new[] { (0, 1) }));
    }
}

namespace Harness.Catalogue;

/// <summary>
/// What an access does in the message-passing reading of a shape, which decides where the
/// "rel+acq" and "frel+facq" variants put their release and acquire.
/// </summary>
public enum Role
{
    /// <summary>Neither: the access keeps the variant's default order.</summary>
    Other,

    /// <summary>
    /// A store that hands its thread's earlier accesses over to another thread (message
    /// passing's flag): a release store, or a store after a release fence.
    /// </summary>
    Publish,

    /// <summary>
    /// A load that reads another thread's store before its own thread goes on: an acquire load,
    /// or a load before an acquire fence.
    /// </summary>
    Observe,
}

/// <summary>One access of a shape, before an ordering variant gives it a memory order.</summary>
public abstract record Access(string Location, Role Role);

/// <summary>A store of <see cref="Value"/> (an exchange in the "+xchg" variants).</summary>
public sealed record Write(string Location, int Value, Role Role = Role.Other) : Access(Location, Role)
{
    public override string ToString() => $"W{Location}={Value}{RoleMark(Role)}";

    internal static string RoleMark(Role role) => role switch { Role.Publish => "(publish)", Role.Observe => "(observe)", _ => "" };
}

/// <summary>A load of <see cref="Location"/> into <see cref="Register"/>.</summary>
public sealed record Read(string Register, string Location, Role Role = Role.Other) : Access(Location, Role)
{
    public override string ToString() => $"{Register}=R{Location}{Write.RoleMark(Role)}";
}

/// <summary>
/// A classic litmus shape (diy7's families: SB, MP, LB, ... Z6.3): each thread's accesses in
/// program order, and the condition that names the shape's non-SC outcome.
/// </summary>
public sealed record Shape(string Name, string Condition, IReadOnlyList<IReadOnlyList<Access>> Threads)
{
    /// <summary>Every location the shape accesses, in name order (the order of the initial state and of thread parameters).</summary>
    public IReadOnlyList<string> Locations { get; } =
        Threads.SelectMany(t => t).Select(a => a.Location).Distinct().Order(StringComparer.Ordinal).ToList();

    /// <summary>A coherence shape (CoRR, CoWW, ...) accesses one location only; its outcome does not depend on the orders.</summary>
    public bool IsCoherence => Locations.Count == 1;

    public override string ToString() => $"{Name}: {string.Join(" | ", Threads.Select(t => string.Join("; ", t)))}";
}

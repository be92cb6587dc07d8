using Harness.Programs;

namespace Harness.Language.C;

internal enum AtomicFunctionKind { Load, Store, ReadModifyWrite, CompareExchange, Fence }

/// <summary>What a call argument must be: a thread parameter, an integer expression or a memory order.</summary>
internal enum ArgumentKind { Location, Value, Order }

/// <summary>One C11 atomic operation the dialect understands, with the arguments it takes.</summary>
internal sealed record AtomicFunction(
    string Name,
    AtomicFunctionKind Kind,
    IReadOnlyList<ArgumentKind> Signature,
    RmwOperation Operation = RmwOperation.Exchange,
    bool Strong = true)
{
    /// <summary>Stores and fences return void: they can only be whole statements.</summary>
    public bool ProducesValue => Kind is not (AtomicFunctionKind.Store or AtomicFunctionKind.Fence);

    public string DescribeSignature() => string.Join(", ", Signature.Select(kind => kind switch
    {
        ArgumentKind.Location => "location",
        ArgumentKind.Value => "value",
        _ => "memory order",
    }));
}

internal static class AtomicFunctions
{
    private const ArgumentKind Location = ArgumentKind.Location;
    private const ArgumentKind Value = ArgumentKind.Value;
    private const ArgumentKind Order = ArgumentKind.Order;

    private static readonly Dictionary<string, AtomicFunction> Supported = BuildSupported();

    /// <summary>Real C11 (or herd) operations the harness cannot run, with the reason given to the user.</summary>
    private static readonly Dictionary<string, string> Unsupported = new()
    {
        ["atomic_fetch_xor_explicit"] = ".NET has no Interlocked xor",
        ["atomic_fetch_xor"] = ".NET has no Interlocked xor",
        ["atomic_signal_fence"] = "use atomic_thread_fence",
        ["atomic_init"] = "give initial values in the initial state instead",
        ["atomic_flag_test_and_set"] = "use an atomic_int and atomic_exchange instead",
        ["atomic_flag_test_and_set_explicit"] = "use an atomic_int and atomic_exchange instead",
        ["atomic_flag_clear"] = "use an atomic_int and atomic_store instead",
        ["atomic_flag_clear_explicit"] = "use an atomic_int and atomic_store instead",
        // herd7 also reads the Linux-kernel dialect (LKMM) in C tests; the harness maps only C11 atomics.
        ["READ_ONCE"] = LinuxKernel("atomic_load_explicit(x, memory_order_relaxed)"),
        ["WRITE_ONCE"] = LinuxKernel("atomic_store_explicit(x, v, memory_order_relaxed)"),
        ["smp_load_acquire"] = LinuxKernel("atomic_load_explicit(x, memory_order_acquire)"),
        ["smp_store_release"] = LinuxKernel("atomic_store_explicit(x, v, memory_order_release)"),
        ["smp_mb"] = LinuxKernel("atomic_thread_fence(memory_order_seq_cst)"),
        ["smp_rmb"] = LinuxKernel("atomic_thread_fence(memory_order_acquire)"),
        ["smp_wmb"] = LinuxKernel("atomic_thread_fence(memory_order_release)"),
        ["xchg"] = LinuxKernel("atomic_exchange(x, v)"),
        ["cmpxchg"] = LinuxKernel("atomic_compare_exchange_strong(x, e, v)"),
        ["spin_lock"] = LinuxKernel("a loop on atomic_compare_exchange_strong_explicit"),
        ["spin_unlock"] = LinuxKernel("atomic_store_explicit(x, 0, memory_order_release)"),
    };

    private static string LinuxKernel(string replacement) => $"it is a Linux-kernel primitive; write {replacement}";

    public static bool TryGetSupported(string name, out AtomicFunction function) =>
        Supported.TryGetValue(name, out function!);

    public static bool TryGetUnsupportedReason(string name, out string reason) =>
        Unsupported.TryGetValue(name, out reason!);

    /// <summary>Names that start a statement of their own rather than an expression.</summary>
    public static bool IsStatementOnly(string name) =>
        Supported.TryGetValue(name, out var function) && !function.ProducesValue;

    private static Dictionary<string, AtomicFunction> BuildSupported()
    {
        var functions = new List<AtomicFunction>
        {
            new("atomic_load_explicit", AtomicFunctionKind.Load, [Location, Order]),
            new("atomic_load", AtomicFunctionKind.Load, [Location]),
            new("atomic_store_explicit", AtomicFunctionKind.Store, [Location, Value, Order]),
            new("atomic_store", AtomicFunctionKind.Store, [Location, Value]),
            new("atomic_thread_fence", AtomicFunctionKind.Fence, [Order]),
        };
        var readModifyWrites = new (string Name, RmwOperation Operation)[]
        {
            ("atomic_exchange", RmwOperation.Exchange),
            ("atomic_fetch_add", RmwOperation.Add),
            ("atomic_fetch_sub", RmwOperation.Sub),
            ("atomic_fetch_or", RmwOperation.Or),
            ("atomic_fetch_and", RmwOperation.And),
        };
        foreach (var (name, operation) in readModifyWrites)
        {
            functions.Add(new(name + "_explicit", AtomicFunctionKind.ReadModifyWrite, [Location, Value, Order], operation));
            functions.Add(new(name, AtomicFunctionKind.ReadModifyWrite, [Location, Value], operation));
        }
        foreach (var strength in new[] { "strong", "weak" })
        {
            var strong = strength == "strong";
            var name = "atomic_compare_exchange_" + strength;
            functions.Add(new(name + "_explicit", AtomicFunctionKind.CompareExchange, [Location, Location, Value, Order, Order], Strong: strong));
            functions.Add(new(name, AtomicFunctionKind.CompareExchange, [Location, Location, Value], Strong: strong));
        }
        return functions.ToDictionary(function => function.Name);
    }
}

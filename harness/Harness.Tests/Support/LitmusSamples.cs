namespace Harness.Tests.Support;

/// <summary>The classic tests the test classes share, as litmus text.</summary>
public static class LitmusSamples
{
    /// <summary>Store buffering; a release store goes with acquire loads.</summary>
    public static string StoreBuffering(string name, string storeOrder, string loadOrder) => $$"""
        C {{name}}
        { [x]=0; [y]=0; }
        P0 (atomic_int* x, atomic_int* y) {
          atomic_store_explicit(x, 1, memory_order_{{storeOrder}});
          int r0 = atomic_load_explicit(y, memory_order_{{loadOrder}});
        }
        P1 (atomic_int* x, atomic_int* y) {
          atomic_store_explicit(y, 1, memory_order_{{storeOrder}});
          int r0 = atomic_load_explicit(x, memory_order_{{loadOrder}});
        }
        exists (0:r0=0 /\ 1:r0=0)
        """;

    public static readonly string StoreBufferingRelaxed = StoreBuffering("SB+rlx", "relaxed", "relaxed");
    public static readonly string StoreBufferingReleaseAcquire = StoreBuffering("SB+ra", "release", "acquire");
    public static readonly string StoreBufferingSeqCst = StoreBuffering("SB+sc", "seq_cst", "seq_cst");

    public static readonly string MessagePassingRelaxed = """
        C MP+rlx
        { [x]=0; [y]=0; }
        P0 (atomic_int* x, atomic_int* y) {
          atomic_store_explicit(x, 1, memory_order_relaxed);
          atomic_store_explicit(y, 1, memory_order_relaxed);
        }
        P1 (atomic_int* x, atomic_int* y) {
          int r0 = atomic_load_explicit(y, memory_order_relaxed);
          int r1 = atomic_load_explicit(x, memory_order_relaxed);
        }
        exists (1:r0=1 /\ 1:r1=0)
        """;

    /// <summary>
    /// P1 waits, with a full fence in each turn, for a flag nobody sets: every instance spins until
    /// the spin bound gives up on it (about a second per 100,000,000 turns on a 2-core x64). An
    /// interruption takes effect once the current instance ends, so the orderly stop lasts that long.
    /// </summary>
    public static readonly string SlowToStop = """
        C Spin+slow
        { [x]=0; [y]=0; }
        P0 (atomic_int* x, atomic_int* y) {
          atomic_store_explicit(x, 1, memory_order_relaxed);
        }
        P1 (atomic_int* x, atomic_int* y) {
          while (atomic_load_explicit(y, memory_order_acquire) == 0) { atomic_thread_fence(memory_order_seq_cst); }
          int r0 = atomic_load_explicit(x, memory_order_relaxed);
        }
        exists (1:r0=0)
        """;
}

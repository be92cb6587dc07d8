using System.Text;
using Harness.Programs;

namespace Harness.Catalogue;

/// <summary>
/// Writes a shape under a variant as herdtools7 C, laid out as herd's own C files are: the
/// initial state, one block per thread (parameters in name order), the condition, blank lines
/// between them.
/// </summary>
public static class LitmusWriter
{
    /// <summary>The test text after its name line, or null when the variant does not apply (a fence variant with no place for a fence).</summary>
    public static string? Body(Shape shape, Variant variant)
    {
        var text = new StringBuilder();
        text.Append("{ ").AppendJoin(" ", shape.Locations.Select(l => $"[{l}]=0;")).Append(" }\n\n");
        var fences = 0;
        for (var t = 0; t < shape.Threads.Count; t++)
        {
            var accesses = shape.Threads[t];
            var parameters = accesses.Select(a => a.Location).Distinct().Order(StringComparer.Ordinal).Select(l => $"atomic_int* {l}");
            text.Append($"P{t} (").AppendJoin(", ", parameters).Append(") {\n");
            var exchanges = 0;
            for (var i = 0; i < accesses.Count; i++)
            {
                var first = i == 0;
                var last = i == accesses.Count - 1;
                if (variant.Fences == FencePlacement.SeqCstBetween && !first)
                    fences += Fence(text, MemoryOrder.SeqCst);
                if (variant.Fences == FencePlacement.ReleaseAcquire && !first && accesses[i] is Write { Role: Role.Publish })
                    fences += Fence(text, MemoryOrder.Release);
                switch (accesses[i])
                {
                    case Write write when variant.Exchange:
                        text.Append($"  int e{exchanges++} = atomic_exchange_explicit({write.Location}, {write.Value}, {variant.StoreOrder(write).ToCName()});\n");
                        break;
                    case Write write:
                        text.Append($"  atomic_store_explicit({write.Location}, {write.Value}, {variant.StoreOrder(write).ToCName()});\n");
                        break;
                    case Read read:
                        text.Append($"  int {read.Register} = atomic_load_explicit({read.Location}, {variant.LoadOrder(read).ToCName()});\n");
                        break;
                }
                if (variant.Fences == FencePlacement.ReleaseAcquire && !last && accesses[i] is Read { Role: Role.Observe })
                    fences += Fence(text, MemoryOrder.Acquire);
            }
            text.Append("}\n\n");
        }
        if (variant.Fences != FencePlacement.None && fences == 0) return null;
        text.Append(shape.Condition).Append('\n');
        return text.ToString();
    }

    private static int Fence(StringBuilder text, MemoryOrder order)
    {
        text.Append($"  atomic_thread_fence({order.ToCName()});\n");
        return 1;
    }
}

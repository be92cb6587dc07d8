namespace Harness.Programs;

/// <summary>A program the simulator cannot evaluate: a division by zero, more events than it enumerates.</summary>
public sealed class SimulationException(string message) : Exception(message);

/// <summary>
/// Building and evaluating symbolic values. Constants fold as they meet, and the identities
/// herd7's solver knows (<c>r ^ r = 0</c>, <c>r - r = 0</c>, <c>r * 0 = 0</c>, <c>r &amp; 0 = 0</c>)
/// are applied, so that a "fake" dependency does not leave a value undetermined.
/// </summary>
public static class Symbolic
{
    public static readonly ConstExpr Zero = new(0);
    public static readonly ConstExpr One = new(1);

    public static ValueExpr Binary(BinaryOperator op, ValueExpr left, ValueExpr right)
    {
        if (left is ConstExpr l && right is ConstExpr r) return new ConstExpr(Arithmetic.Apply(op, l.Value, r.Value));
        switch (op)
        {
            case BinaryOperator.BitXor or BinaryOperator.Sub when left == right:
                return Zero;
            case BinaryOperator.Mul or BinaryOperator.BitAnd when IsZero(left) || IsZero(right):
                return Zero;
            case BinaryOperator.Add or BinaryOperator.BitOr or BinaryOperator.BitXor when IsZero(left):
                return right;
            case BinaryOperator.Add or BinaryOperator.Sub or BinaryOperator.BitOr or BinaryOperator.BitXor when IsZero(right):
                return left;
            default:
                return new BinaryExpr(op, left, right);
        }
    }

    public static ValueExpr Unary(UnaryOperator op, ValueExpr operand) =>
        operand is ConstExpr c ? new ConstExpr(Arithmetic.Apply(op, c.Value)) : new UnaryExpr(op, operand);

    public static ValueExpr Apply(RmwOperation operation, ValueExpr old, ValueExpr operand) => operation switch
    {
        RmwOperation.Exchange => operand,
        RmwOperation.Add => Binary(BinaryOperator.Add, old, operand),
        RmwOperation.Sub => Binary(BinaryOperator.Sub, old, operand),
        RmwOperation.Or => Binary(BinaryOperator.BitOr, old, operand),
        RmwOperation.And => Binary(BinaryOperator.BitAnd, old, operand),
        _ => throw new ArgumentOutOfRangeException(nameof(operation)),
    };

    /// <summary>The value of an expression given the values of the reads, or null while some read is unknown.</summary>
    public static long? Evaluate(ValueExpr expr, Func<int, long?> readValue)
    {
        switch (expr)
        {
            case ConstExpr c:
                return c.Value;
            case ReadValueExpr r:
                return readValue(r.Read);
            case UnaryExpr u:
                return Evaluate(u.Operand, readValue) is long v ? Arithmetic.Apply(u.Operator, v) : null;
            case BinaryExpr b:
                var left = Evaluate(b.Left, readValue);
                var right = Evaluate(b.Right, readValue);
                return left is long l && right is long r2 ? Arithmetic.Apply(b.Operator, l, r2) : null;
            default:
                throw new InvalidOperationException($"cannot evaluate {expr}");
        }
    }

    private static bool IsZero(ValueExpr e) => e is ConstExpr { Value: 0 };
}

/// <summary>C's integer arithmetic on 64-bit values.</summary>
public static class Arithmetic
{
    public static long Apply(UnaryOperator op, long value) => op switch
    {
        UnaryOperator.Negate => -value,
        UnaryOperator.LogicalNot => value == 0 ? 1 : 0,
        UnaryOperator.BitNot => ~value,
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };

    public static long Apply(BinaryOperator op, long left, long right) => op switch
    {
        BinaryOperator.Add => left + right,
        BinaryOperator.Sub => left - right,
        BinaryOperator.Mul => left * right,
        BinaryOperator.Div => right == 0 ? throw new SimulationException("division by zero") : left / right,
        BinaryOperator.Mod => right == 0 ? throw new SimulationException("division by zero") : left % right,
        BinaryOperator.BitAnd => left & right,
        BinaryOperator.BitOr => left | right,
        BinaryOperator.BitXor => left ^ right,
        BinaryOperator.ShiftLeft => left << (int)(right & 63),
        BinaryOperator.ShiftRight => left >> (int)(right & 63),
        BinaryOperator.Equal => left == right ? 1 : 0,
        BinaryOperator.NotEqual => left != right ? 1 : 0,
        BinaryOperator.Less => left < right ? 1 : 0,
        BinaryOperator.LessEqual => left <= right ? 1 : 0,
        BinaryOperator.Greater => left > right ? 1 : 0,
        BinaryOperator.GreaterEqual => left >= right ? 1 : 0,
        BinaryOperator.LogicalAnd => left != 0 && right != 0 ? 1 : 0,
        BinaryOperator.LogicalOr => left != 0 || right != 0 ? 1 : 0,
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };
}

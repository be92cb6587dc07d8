using System.Reflection;

namespace Harness.Emitted;

/// <summary>How the JIT's listing names a method: <c>System.Threading.Interlocked:Add(byref,int):int</c>.</summary>
public static class JitMethodNames
{
    private static readonly Dictionary<Type, string> Primitive = new()
    {
        [typeof(void)] = "void", [typeof(bool)] = "ubyte", [typeof(byte)] = "ubyte", [typeof(sbyte)] = "byte",
        [typeof(short)] = "short", [typeof(ushort)] = "ushort", [typeof(int)] = "int", [typeof(uint)] = "uint",
        [typeof(long)] = "long", [typeof(ulong)] = "ulong", [typeof(nint)] = "long", [typeof(nuint)] = "ulong",
        [typeof(float)] = "float", [typeof(double)] = "double",
    };

    /// <summary>The listing's name of <paramref name="method"/>, or null for a signature this does not spell (objects, generics).</summary>
    public static string? Of(MethodInfo method)
    {
        var parameters = method.GetParameters().Select(p => p.ParameterType.IsByRef ? "byref" : Primitive.GetValueOrDefault(p.ParameterType)).ToList();
        if (parameters.Any(p => p is null) || Primitive.GetValueOrDefault(method.ReturnType) is not { } returned) return null;
        var result = method.ReturnType == typeof(void) ? "" : ":" + returned;
        return $"{method.DeclaringType!.FullName}:{method.Name}({string.Join(',', parameters)}){result}";
    }
}

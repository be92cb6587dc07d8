using System.Runtime.InteropServices;

namespace Harness.Running;

/// <summary>macOS's sysctl: the machine facts Linux keeps in /proc and /sys (CPU features, brand, cache line).</summary>
public static partial class MacSysctl
{
    /// <summary>An integer sysctl of macOS (hw.cachelinesize, hw.optional.arm.FEAT_LSE, ...); null when it does not exist.</summary>
    public static long? Integer(string name)
    {
        var size = (nuint)sizeof(long);
        var value = 0L;
        if (sysctlbyname(name, ref value, ref size, IntPtr.Zero, 0) != 0) return null;
        // A 4-byte sysctl fills the low half (both Apple architectures are little-endian).
        return size == sizeof(int) ? (int)value : value;
    }

    /// <summary>A string sysctl of macOS, such as machdep.cpu.brand_string.</summary>
    public static string? Text(string name)
    {
        nuint size = 0;
        if (sysctlbyname(name, IntPtr.Zero, ref size, IntPtr.Zero, 0) != 0 || size == 0 || size > 4096) return null;
        var buffer = Marshal.AllocHGlobal((nint)size);
        try
        {
            return sysctlbyname(name, buffer, ref size, IntPtr.Zero, 0) == 0 ? Marshal.PtrToStringUTF8(buffer)?.Trim() : null;
        }
        finally
        {
            Marshal.FreeHGlobal(buffer);
        }
    }

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int sysctlbyname(string name, ref long value, ref nuint size, IntPtr newValue, nuint newSize);

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int sysctlbyname(string name, IntPtr value, ref nuint size, IntPtr newValue, nuint newSize);
}

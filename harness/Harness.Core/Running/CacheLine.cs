using System.Globalization;
using System.Runtime.InteropServices;

namespace Harness.Running;

/// <summary>
/// The unit of sharing between cores: two locations on one line interfere (false sharing), so
/// a padded instance puts each location on a line of its own, and every array the threads race
/// on starts on a line boundary. The line is read off the machine: 64 bytes on most x86-64 and
/// arm64 parts, 128 on Apple's M series; 128 when it cannot be read, the safe guess.
/// </summary>
public static partial class CacheLine
{
    /// <summary>Where every racing array starts: the largest line of any common CPU, so alignment holds on all of them.</summary>
    public const int AlignmentBytes = 128;

    /// <summary>The line size assumed when the machine does not say.</summary>
    public const int DefaultBytes = 128;

    /// <summary>This machine's coherence line, in bytes.</summary>
    public static int Bytes { get; } = Detect();

    /// <summary>A line size a CPU can have: a power of two from 16 to 1024 bytes.</summary>
    public static bool IsPlausible(int bytes) => bytes is >= 16 and <= 1024 && (bytes & (bytes - 1)) == 0;

    private static int Detect()
    {
        try
        {
            int? bytes = OperatingSystem.IsLinux() ? FromSysfs() ?? FromSysconf()
                : OperatingSystem.IsMacOS() ? (int?)MacSysctl.Integer("hw.cachelinesize")
                : null;
            return bytes is { } b && IsPlausible(b) ? b : DefaultBytes;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or DllNotFoundException or EntryPointNotFoundException)
        {
            return DefaultBytes;
        }
    }

    /// <summary>The largest coherency line of CPU 0's caches (L1 to the last level), as Linux reports them.</summary>
    private static int? FromSysfs()
    {
        const string caches = "/sys/devices/system/cpu/cpu0/cache";
        if (!Directory.Exists(caches)) return null;
        var sizes = Directory.EnumerateDirectories(caches, "index*")
            .Select(index => Path.Combine(index, "coherency_line_size"))
            .Where(File.Exists)
            .Select(file => int.TryParse(File.ReadAllText(file).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var size) ? size : 0)
            .Where(size => size > 0)
            .ToList();
        return sizes.Count > 0 ? sizes.Max() : null;
    }

    /// <summary>
    /// glibc's answer, which on x86 comes from CPUID: for containers and sandboxes that hide
    /// /sys/devices/system/cpu (this project's CI machine does). Null where the C library does not know.
    /// </summary>
    private static int? FromSysconf()
    {
        const int ScLevel1DataCacheLineSize = 190; // _SC_LEVEL1_DCACHE_LINESIZE in glibc's confname.h
        var bytes = sysconf(ScLevel1DataCacheLineSize);
        return bytes > 0 && bytes <= int.MaxValue ? (int)bytes : null;
    }

    [LibraryImport("libc")]
    private static partial long sysconf(int name);
}

/// <summary>
/// A pinned int array whose element <see cref="Base"/> starts on a <see cref="CacheLine.AlignmentBytes"/>
/// boundary, with a spare line after the end, so that nothing else on the heap shares its lines.
/// </summary>
public sealed class AlignedInts
{
    private const int SpareInts = CacheLine.AlignmentBytes / sizeof(int);

    public int[] Array { get; }

    /// <summary>The index of the first aligned element: index 0 of the usable part.</summary>
    public int Base { get; }

    public AlignedInts(int length)
    {
        Array = GC.AllocateArray<int>(length + 2 * SpareInts, pinned: true);
        var misalignment = (int)(Address(0) % CacheLine.AlignmentBytes);
        // The runtime aligns array data to at least 8 bytes, so the gap is a whole number of ints.
        Base = misalignment == 0 ? 0 : (CacheLine.AlignmentBytes - misalignment) / sizeof(int);
    }

    /// <summary>The address of usable element <paramref name="index"/> (the array is pinned, so it never moves).</summary>
    public long AddressOf(int index) => Address(Base + index);

    private long Address(int arrayIndex) => Marshal.UnsafeAddrOfPinnedArrayElement(Array, arrayIndex).ToInt64();
}

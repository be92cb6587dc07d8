using System.Buffers.Binary;

namespace Harness.Reports.Html;

/// <summary>
/// A PNG's pixel size, read from its header: an image given its size in the page takes its place
/// before it loads, so a long index with lazily loaded charts does not jump about while scrolling.
/// </summary>
internal static class PngSize
{
    private static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Width and height, or null when the file is missing or not a PNG.</summary>
    public static (int Width, int Height)? Read(string path)
    {
        try
        {
            using var file = File.OpenRead(path);
            Span<byte> header = stackalloc byte[24];
            if (file.ReadAtLeast(header, header.Length, throwOnEndOfStream: false) < header.Length) return null;
            // The signature, then the IHDR chunk: its length and type, then width and height, big-endian.
            if (!header[..8].SequenceEqual(Signature) || !header[12..16].SequenceEqual("IHDR"u8)) return null;
            var width = BinaryPrimitives.ReadInt32BigEndian(header[16..20]);
            var height = BinaryPrimitives.ReadInt32BigEndian(header[20..24]);
            return width > 0 && height > 0 ? (width, height) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}

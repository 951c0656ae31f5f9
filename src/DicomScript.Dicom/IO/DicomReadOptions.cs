using DicomScript.Dicom.Data;

namespace DicomScript.Dicom.IO;

/// <summary>Limits and choices for reading. Limits are checked before anything is allocated.</summary>
public sealed record DicomReadOptions
{
    /// <summary>Stop before the first top-level element whose tag is at or after this one (e.g. PixelData for a header read).</summary>
    public DicomTag? StopAtTag { get; init; }

    /// <summary>Deepest nesting of sequences accepted (dcmtk uses the same bound).</summary>
    public int MaxSequenceDepth { get; init; } = 64;

    /// <summary>Largest inflated size accepted for a Deflated Explicit VR Little Endian dataset.</summary>
    public long MaxInflatedBytes { get; init; } = 1L << 30;

    public static DicomReadOptions Default { get; } = new();

    /// <summary>Reads everything before the pixel data.</summary>
    public static DicomReadOptions HeaderOnly { get; } = new() { StopAtTag = new DicomTag(0x7FE0, 0x0010) };
}

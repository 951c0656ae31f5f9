namespace DicomScript.Dicom.Data;

/// <summary>
/// Encapsulated pixel data (or any OB/OW element encoded with undefined length): the Basic Offset
/// Table and the fragments, kept as the bytes they were read as. Never decoded here.
/// </summary>
public sealed class DicomFragmentSequence : DicomItem
{
    public DicomFragmentSequence(DicomTag tag, DicomVR vr, ReadOnlyMemory<byte> offsetTable, IEnumerable<ReadOnlyMemory<byte>> fragments)
        : base(tag, vr)
    {
        OffsetTable = offsetTable;
        Fragments = [.. fragments];
    }

    /// <summary>The first item's value: the Basic Offset Table (often empty).</summary>
    public ReadOnlyMemory<byte> OffsetTable { get; }

    /// <summary>The fragments after the offset table.</summary>
    public IReadOnlyList<ReadOnlyMemory<byte>> Fragments { get; }
}

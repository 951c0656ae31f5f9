using DicomScript.Dicom.Data;

namespace DicomScript.Dicom.IO;

/// <summary>
/// Receives what the parser reads, in encoding order. A dataset builder, an index extractor that
/// needs a few tags, or a tag finder can each consume the same parse without building what they
/// do not need. Values are slices of the input buffer: keep them only while the buffer lives.
/// </summary>
public interface IDicomReaderObserver
{
    /// <summary>A leaf element. <paramref name="offset"/> is the byte offset of its tag in the input.</summary>
    void OnElement(DicomTag tag, DicomVR vr, ReadOnlyMemory<byte> value, bool isBigEndian, long offset);

    void OnBeginSequence(DicomTag tag, DicomVR vr);

    void OnBeginItem();

    void OnEndItem();

    void OnEndSequence();

    /// <summary>Encapsulated data (pixel data with undefined length) begins.</summary>
    void OnBeginFragments(DicomTag tag, DicomVR vr, long offset);

    /// <summary>One item of encapsulated data; the first is the Basic Offset Table.</summary>
    void OnFragment(ReadOnlyMemory<byte> fragment);

    void OnEndFragments();
}

using System.Diagnostics.CodeAnalysis;

namespace DicomScript.Dicom.IO;

/// <summary>Why a byte stream is not readable DICOM.</summary>
public enum DicomFormatError
{
    Truncated,
    LengthExceedsData,
    SequenceTooDeep,
    BadItemTag,
    BadDelimiter,
    BadMetaInformation,
    BadDeflate,
    TooLarge,
    NotDicom,
    Unsupported,
}

/// <summary>The one exception type of the DICOM core: the input is not valid DICOM, with the reason and where.</summary>
public sealed class DicomFormatException : Exception
{
    public DicomFormatException(DicomFormatError reason, string message, long offset = -1)
        : base(offset >= 0 ? $"{message} (at byte {offset})" : message)
    {
        Reason = reason;
        Offset = offset;
    }

    public DicomFormatException()
        : this(DicomFormatError.NotDicom, "not DICOM")
    {
    }

    public DicomFormatException(string message)
        : this(DicomFormatError.NotDicom, message)
    {
    }

    public DicomFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
        Reason = DicomFormatError.NotDicom;
        Offset = -1;
    }

    public DicomFormatError Reason { get; }

    /// <summary>Byte offset in the input where the problem was found, or -1.</summary>
    public long Offset { get; }

    [DoesNotReturn]
    internal static void Throw(DicomFormatError reason, string message, long offset = -1) =>
        throw new DicomFormatException(reason, message, offset);
}

using DicomScript.Dicom.Data;

namespace DicomScript.Network.Dimse;

/// <summary>Collects the dataset fragments of one message; spills to a temporary file past a threshold.</summary>
internal sealed class DataSetBuffer : IDisposable
{
    private readonly long _spillThreshold;
    private readonly string _temporaryFolder;
    private MemoryStream? _memory = new();
    private FileStream? _file;

    public DataSetBuffer(long spillThreshold, string temporaryFolder)
    {
        _spillThreshold = spillThreshold;
        _temporaryFolder = temporaryFolder;
    }

    public long Length => _memory?.Length ?? _file!.Length;

    public void Append(ReadOnlySpan<byte> fragment)
    {
        if (_memory is not null && _memory.Length + fragment.Length > _spillThreshold)
        {
            // DeleteOnClose: the file disappears when the dataset is disposed, whatever happens to the message.
            var path = Path.Combine(_temporaryFolder, $"dicomscript-{Guid.NewGuid():N}.tmp");
            _file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 64 * 1024, FileOptions.DeleteOnClose);
            _memory.Position = 0;
            _memory.CopyTo(_file);
            _memory.Dispose();
            _memory = null;
        }

        if (_memory is not null)
            _memory.Write(fragment);
        else
            _file!.Write(fragment);
    }

    /// <summary>Hands the bytes over to a <see cref="ReceivedDataSet"/>; this buffer is empty afterwards.</summary>
    public ReceivedDataSet Complete(DicomTransferSyntax syntax)
    {
        ReceivedDataSet result = _memory is not null ? new ReceivedDataSet(_memory, syntax) : new ReceivedDataSet(_file!, syntax);
        _memory = null;
        _file = null;
        return result;
    }

    public void Dispose()
    {
        _memory?.Dispose();
        _file?.Dispose();
    }
}

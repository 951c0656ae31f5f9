using DicomScript.Dicom.Data;

namespace DicomScript.Dicom.IO;

/// <summary>The observer that builds a <see cref="DicomDataset"/> tree from a parse.</summary>
public sealed class DatasetBuilder : IDicomReaderObserver
{
    private readonly Stack<DicomDataset> _datasets = new();
    private readonly Stack<(DicomTag Tag, DicomVR VR, List<DicomDataset> Items)> _sequences = new();
    private (DicomTag Tag, DicomVR VR, List<ReadOnlyMemory<byte>> Items)? _fragments;

    public DatasetBuilder(DicomDataset? target = null)
    {
        Dataset = target ?? new DicomDataset();
        _datasets.Push(Dataset);
    }

    /// <summary>The top-level dataset being filled.</summary>
    public DicomDataset Dataset { get; }

    /// <summary>Offset of the top-level Pixel Data element's tag in the input, if one was read.</summary>
    public long? PixelDataOffset { get; private set; }

    public void OnElement(DicomTag tag, DicomVR vr, ReadOnlyMemory<byte> value, bool isBigEndian, long offset)
    {
        if (_datasets.Count == 1 && tag.Value == 0x7FE00010)
            PixelDataOffset = offset;
        _datasets.Peek().Add(new DicomElement(tag, vr, value, isBigEndian));
    }

    public void OnBeginSequence(DicomTag tag, DicomVR vr) => _sequences.Push((tag, vr, []));

    public void OnBeginItem()
    {
        var item = new DicomDataset();
        _sequences.Peek().Items.Add(item);
        _datasets.Push(item);
    }

    public void OnEndItem() => _datasets.Pop();

    public void OnEndSequence()
    {
        var (tag, vr, items) = _sequences.Pop();
        _datasets.Peek().Add(new DicomSequence(tag, vr, items));
    }

    public void OnBeginFragments(DicomTag tag, DicomVR vr, long offset)
    {
        if (_datasets.Count == 1 && tag.Value == 0x7FE00010)
            PixelDataOffset = offset;
        _fragments = (tag, vr, []);
    }

    public void OnFragment(ReadOnlyMemory<byte> fragment) => _fragments!.Value.Items.Add(fragment);

    public void OnEndFragments()
    {
        var (tag, vr, items) = _fragments!.Value;
        _fragments = null;
        var offsetTable = items.Count > 0 ? items[0] : ReadOnlyMemory<byte>.Empty;
        _datasets.Peek().Add(new DicomFragmentSequence(tag, vr, offsetTable, items.Skip(1)));
    }
}

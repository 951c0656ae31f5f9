using System.Collections;
using DicomScript.Dicom.Text;

namespace DicomScript.Dicom.Data;

/// <summary>
/// An ordered set of items keyed by tag: a whole dataset, a file meta group, or one item of a
/// sequence. Items stay sorted by tag, as they are encoded.
/// </summary>
public sealed partial class DicomDataset : IEnumerable<DicomItem>
{
    private readonly List<DicomItem> _items;

    public DicomDataset()
    {
        _items = [];
    }

    public DicomDataset(IEnumerable<DicomItem> items)
        : this()
    {
        foreach (var item in items)
            Add(item);
    }

    /// <summary>Number of top-level items.</summary>
    public int Count => _items.Count;

    /// <summary>For an item of a sequence: that sequence; null for a top-level dataset.</summary>
    public DicomSequence? ParentSequence { get; internal set; }

    /// <summary>For an item of a sequence: the dataset holding the sequence.</summary>
    public DicomDataset? Parent => ParentSequence?.Owner;

    /// <summary>
    /// The character set that decodes this dataset's text: its own Specific Character Set, else its
    /// parent's (items inherit), else the default repertoire.
    /// </summary>
    public DicomCharacterSet CharacterSet
    {
        get
        {
            for (var ds = this; ds is not null; ds = ds.Parent)
            {
                if (ds.TryGetElement(Dictionary.DicomTags.SpecificCharacterSet, out var element))
                    return DicomCharacterSet.FromElement(element);
            }

            return DicomCharacterSet.Default;
        }
    }

    /// <summary>Adds an item, replacing any item with the same tag.</summary>
    public DicomDataset Add(DicomItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (item is DicomSequence sequence)
            sequence.Owner = this;

        // Reading appends in tag order, so the common case is a plain append.
        if (_items.Count == 0 || _items[^1].Tag < item.Tag)
        {
            _items.Add(item);
            return this;
        }

        var index = IndexOf(item.Tag);
        if (index >= 0)
            _items[index] = item;
        else
            _items.Insert(~index, item);
        return this;
    }

    /// <summary>Removes the item with this tag; false when there was none.</summary>
    public bool Remove(DicomTag tag)
    {
        var index = IndexOf(tag);
        if (index < 0)
            return false;
        _items.RemoveAt(index);
        return true;
    }

    /// <summary>Removes every item matching <paramref name="predicate"/>.</summary>
    public int RemoveAll(Predicate<DicomItem> predicate) => _items.RemoveAll(predicate);

    public bool Contains(DicomTag tag) => IndexOf(tag) >= 0;

    /// <summary>The item with this tag, or null.</summary>
    public DicomItem? Get(DicomTag tag)
    {
        var index = IndexOf(tag);
        return index >= 0 ? _items[index] : null;
    }

    public bool TryGetElement(DicomTag tag, out DicomElement element)
    {
        element = null!;
        if (Get(tag) is not DicomElement found)
            return false;
        element = found;
        return true;
    }

    /// <summary>The sequence with this tag, or null (also when the tag holds something else).</summary>
    public DicomSequence? GetSequence(DicomTag tag) => Get(tag) as DicomSequence;

    private int IndexOf(DicomTag tag)
    {
        int low = 0, high = _items.Count - 1;
        while (low <= high)
        {
            var mid = (low + high) >>> 1;
            var cmp = _items[mid].Tag.CompareTo(tag);
            if (cmp == 0)
                return mid;
            if (cmp < 0)
                low = mid + 1;
            else
                high = mid - 1;
        }

        return ~low;
    }

    /// <summary>A deep copy of the structure; element values are shared (they are immutable).</summary>
    public DicomDataset Clone()
    {
        var copy = new DicomDataset();
        foreach (var item in _items)
        {
            copy.Add(item switch
            {
                DicomSequence sq => new DicomSequence(sq.Tag, sq.VR, sq.Items.Select(i => i.Clone())),
                _ => item,
            });
        }

        return copy;
    }

    public IEnumerator<DicomItem> GetEnumerator() => _items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

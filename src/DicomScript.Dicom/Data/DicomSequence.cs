using System.Collections.ObjectModel;

namespace DicomScript.Dicom.Data;

/// <summary>A sequence (SQ) element: an ordered list of item datasets.</summary>
public sealed class DicomSequence : DicomItem
{
    public DicomSequence(DicomTag tag, IEnumerable<DicomDataset>? items = null)
        : this(tag, DicomVR.SQ, items)
    {
    }

    /// <summary>For sequences encoded as UN with undefined length (CP-246), which keep their VR.</summary>
    internal DicomSequence(DicomTag tag, DicomVR vr, IEnumerable<DicomDataset>? items)
        : base(tag, vr)
    {
        Items = new ItemCollection(this);
        foreach (var item in items ?? [])
            Items.Add(item);
    }

    /// <summary>The items; each item's <see cref="DicomDataset.Parent"/> is set when it is added.</summary>
    public Collection<DicomDataset> Items { get; }

    /// <summary>The dataset holding this sequence, once added to one.</summary>
    public DicomDataset? Owner { get; internal set; }

    private sealed class ItemCollection(DicomSequence sequence) : Collection<DicomDataset>
    {
        protected override void InsertItem(int index, DicomDataset item)
        {
            ArgumentNullException.ThrowIfNull(item);
            item.ParentSequence = sequence;
            base.InsertItem(index, item);
        }

        protected override void SetItem(int index, DicomDataset item)
        {
            ArgumentNullException.ThrowIfNull(item);
            item.ParentSequence = sequence;
            base.SetItem(index, item);
        }
    }
}

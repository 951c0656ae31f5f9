namespace DicomScript.Dicom.Data;

/// <summary>One entry of a dataset: a leaf element, a sequence, or encapsulated pixel data.</summary>
public abstract class DicomItem
{
    protected DicomItem(DicomTag tag, DicomVR vr)
    {
        Tag = tag;
        VR = vr;
    }

    public DicomTag Tag { get; }

    public DicomVR VR { get; }

    public override string ToString() => $"{Tag.ToDcmtkString()} {VR}";
}

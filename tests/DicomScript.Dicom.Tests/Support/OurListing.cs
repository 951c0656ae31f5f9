using DicomScript.Dicom.Data;
using DicomScript.Dicom.Dictionary;
using DicomScript.Dicom.IO;

namespace DicomScript.Dicom.Tests.Support;

/// <summary>Our side of the dcmdump comparison: the same flat list of elements, from our reader.</summary>
public static class OurListing
{
    public sealed record Element(int Depth, DicomItem Item, DicomDataset Owner);

    public static List<Element> Flatten(DicomFile file)
    {
        var list = new List<Element>();
        Walk(file.Meta, 0, list);
        Walk(file.Dataset, 0, list);
        return list;
    }

    private static void Walk(DicomDataset dataset, int depth, List<Element> list)
    {
        foreach (var item in dataset)
        {
            if (item.Tag == DicomTags.SpecificCharacterSet)
                continue; // left out on dcmdump's side too (see Dcmdump.Parse)
            list.Add(new Element(depth, item, dataset));
            if (item is DicomSequence sequence)
            {
                foreach (var child in sequence.Items)
                    Walk(child, depth + 2, list);
            }
        }
    }
}

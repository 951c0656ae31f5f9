using DicomScript.Dicom.Data;
using DicomScript.Dicom.Dictionary;
using DicomScript.Storage.Identifiers;

namespace DicomScript.Server.Modification;

// The last pass of an anonymization: identifiers that refer to other instances get the same new
// values the instances themselves got, and inside sequences the profile's removals, emptyings and
// private tags apply too (at the top level earlier steps did that).
public sealed partial class DicomModification
{
    private sealed class ReferenceRemapper(DicomModification modification)
    {
        private readonly List<(DicomTag Sequence, int Index)> _parents = [];

        public void Apply(DicomDataset dataset)
        {
            var removed = new List<DicomTag>();
            foreach (var item in dataset.ToList())
            {
                if (!Visit(item, dataset))
                    removed.Add(item.Tag);
            }

            foreach (var tag in removed)
                dataset.Remove(tag);
        }

        // False when the attribute must go.
        private bool Visit(DicomItem item, DicomDataset holder)
        {
            if (item is DicomSequence sequence)
            {
                if (MustRemove(item.Tag))
                    return false;
                for (var i = 0; i < sequence.Items.Count; i++)
                {
                    _parents.Add((item.Tag, i));
                    Apply(sequence.Items[i]);
                    _parents.RemoveAt(_parents.Count - 1);
                }

                return true;
            }

            if (item is not DicomElement element)
                return !MustRemove(item.Tag);

            // An element written as UN is read as its dictionary VR says, but cannot be rewritten.
            var vr = element.VR == DicomVR.UN && DicomDictionary.Find(element.Tag) is { } entry ? entry.DefaultVR : element.VR;
            if (!vr.IsString)
                return !MustRemove(item.Tag);

            var text = element.VR.IsString ? DicomDataset.DecodeText(element, holder.CharacterSet) : System.Text.Encoding.Latin1.GetString(element.RawValue.Span).TrimEnd(' ', '\0');
            var (keep, newValue) = VisitText(element.Tag, text);
            if (keep && newValue is not null && element.VR.IsString)
                holder.AddString(element.Tag, element.VR, newValue);
            return keep;
        }

        // Inside sequences: private tags (when removed), and the profile's removals and emptyings
        // of what is not text, are removed, unless a kept path covers them.
        private bool MustRemove(DicomTag tag) =>
            _parents.Count > 0 && !IsKept(tag)
            && ((modification.RemovePrivateTags && tag.IsPrivate) || modification.IsCleared(tag) || modification.IsRemoved(tag));

        private bool IsKept(DicomTag tag) => modification._keptPaths.Exists(path => path.Matches(_parents, tag));

        // (keep, new value or null to leave it).
        private (bool Keep, string? NewValue) VisitText(DicomTag tag, string value)
        {
            var uids = modification._uids;
            if (_parents.Count == 0)
            {
                if (!uids.Contains(tag) || modification.IsManuallyModified(tag))
                    return (true, null);
                return (true, modification.MapIdentifier(value, IsPatientIdentifier(tag) ? ResourceLevel.Patient : ResourceLevel.Instance));
            }

            if (IsKept(tag))
                return (true, null);
            if ((modification.RemovePrivateTags && tag.IsPrivate) || modification.IsRemoved(tag))
                return (false, null);
            if (modification.IsCleared(tag))
                return (true, "");

            ResourceLevel? level =
                tag == DicomTags.StudyInstanceUID ? ResourceLevel.Study
                : tag == DicomTags.SeriesInstanceUID ? ResourceLevel.Series
                : tag == DicomTags.SOPInstanceUID ? ResourceLevel.Instance
                : !uids.Contains(tag) ? null
                : IsPatientIdentifier(tag) ? ResourceLevel.Patient
                : IsStudyReferenceInRtStructure(tag) ? ResourceLevel.Study
                : ResourceLevel.Instance;
            return (true, level is { } l ? modification.MapIdentifier(value, l) : null);
        }

        private static bool IsPatientIdentifier(DicomTag tag) => tag == DicomTags.PatientID || tag == DicomTags.PatientName;

        // RT Structure Sets put a StudyInstanceUID in this ReferencedSOPInstanceUID.
        private bool IsStudyReferenceInRtStructure(DicomTag tag) =>
            tag == DicomTags.ReferencedSOPInstanceUID && _parents.Count == 2
            && _parents[0].Sequence == DicomTags.ReferencedFrameOfReferenceSequence
            && _parents[1].Sequence == DicomTags.RTReferencedStudySequence;
    }
}

using DicomScript.Dicom.Data;
using DicomScript.Dicom.Dictionary;
using DicomScript.Storage.Identifiers;

namespace DicomScript.Server.Modification;

// Applying a modification to one dataset, in Orthanc 1.10.1's order of steps.
public sealed partial class DicomModification
{
    private static readonly (DicomTag Tag, ResourceLevel Level)[] Identifiers =
    [
        (DicomTags.StudyInstanceUID, ResourceLevel.Study),
        (DicomTags.SeriesInstanceUID, ResourceLevel.Series),
        (DicomTags.SOPInstanceUID, ResourceLevel.Instance),
    ];

    /// <summary>
    /// Modifies <paramref name="dataset"/> in place. Throws <see cref="ModificationException"/>
    /// for a request that breaks the DICOM model at this level, or a value that does not fit.
    /// Returns what the warnings Orthanc would log say (kept identifiers), for the caller to log.
    /// </summary>
    public IReadOnlyList<string> Apply(DicomDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        if (IsRemoved(DicomTags.PatientID) || Identifiers.Any(identifier => IsRemoved(identifier.Tag)))
            throw new ModificationException(OrthancError.BadRequest, "");
        CheckIdentifiersAtLevel();

        // Instances referring to a replaced identifier must follow it.
        if (IsAnonymization && UpdateReferencedRelationships)
        {
            foreach (var (tag, level) in Identifiers)
            {
                if (IsReplaced(tag))
                    RegisterMappedIdentifier(dataset.GetString(tag) ?? "", ReplacementText(tag), level);
            }
        }

        if (RemovePrivateTags)
            dataset.RemoveAll(item => item.Tag.IsPrivate && !_privateTagsToKeep.Contains(item.Tag));
        foreach (var tag in _clearings)
        {
            if (!tag.IsGroupLength && dataset.Get(tag) is { } existing)
                dataset.Add(Emptied(existing));
        }

        foreach (var tag in _removals)
            dataset.Remove(tag);
        foreach (var (tag, value) in _replacements)
            Replace(dataset, tag, value);

        var warnings = new List<string>();
        MapIdentifiers(dataset, warnings);
        if (IsAnonymization)
        {
            if (UpdateReferencedRelationships)
                new ReferenceRemapper(this).Apply(dataset);
            else
                RemoveReferences(dataset);
        }

        foreach (var path in _removedPaths)
        {
            foreach (var holder in path.Holders(dataset))
                holder.Remove(path.FinalTag);
        }

        foreach (var (path, value) in _pathReplacements)
        {
            if (path.FinalTag.IsGroupLength || path.Prefix.Any(step => step.Sequence.IsGroupLength))
                continue;
            foreach (var holder in path.Holders(dataset).ToList())
                holder.Add(ReplacementValue.Create(path.FinalTag, value, holder, PrivateCreator));
        }

        return warnings;
    }

    private void CheckIdentifiersAtLevel()
    {
        var patientIdChanged = IsReplaced(DicomTags.PatientID) || _uids.Contains(DicomTags.PatientID);
        var (levelName, article) = Level switch
        {
            ResourceLevel.Patient => ("patient", "a"),
            ResourceLevel.Study => ("study", "a"),
            ResourceLevel.Series => ("series", "a"),
            _ => ("instance", "an"),
        };
        void Refuse(string message) => throw new ModificationException(OrthancError.BadRequest, message);
        if (Level == ResourceLevel.Patient && !patientIdChanged)
            Refuse("When modifying a patient, her PatientID is required to be modified");
        if (Level != ResourceLevel.Patient && patientIdChanged)
            Refuse($"When modifying {article} {levelName}, the parent PatientID cannot be manually modified");

        // Above the level, identifiers are the parents': never replaced. Below it they are made
        // anew, and replacing them by hand is refused only when manual identifiers are not allowed.
        foreach (var (tag, level) in Identifiers)
        {
            if (!IsReplaced(tag))
                continue;
            var name = tag == DicomTags.SOPInstanceUID ? "SopInstanceUID" : tag == DicomTags.StudyInstanceUID ? "StudyInstanceUID" : "SeriesInstanceUID";
            if (level < Level)
                Refuse($"When modifying {article} {levelName}, the parent {name} cannot be manually modified");
            if (level > Level && !AllowManualIdentifiers)
                Refuse($"When modifying {article} {levelName}, the {name} cannot be manually modified");
        }
    }

    private string ReplacementText(DicomTag tag) =>
        _replacements[tag] is System.Text.Json.Nodes.JsonValue value && value.TryGetValue<string>(out var text)
            ? text
            : throw new ModificationException(OrthancError.BadParameterType, "");

    private void Replace(DicomDataset dataset, DicomTag tag, System.Text.Json.Nodes.JsonNode? value)
    {
        if (tag.IsGroupLength)
            return;
        if ((tag == DicomTags.SOPClassUID || tag == DicomTags.SOPInstanceUID) && value is not System.Text.Json.Nodes.JsonValue)
            throw new ModificationException(OrthancError.BadParameterType, "");
        dataset.Add(ReplacementValue.Create(tag, value, dataset, PrivateCreator));
    }

    // An emptied attribute takes the dictionary's VR, as dcmtk inserts it; a sequence loses its items.
    private static DicomItem Emptied(DicomItem existing)
    {
        var vr = DicomDictionary.Find(existing.Tag)?.DefaultVR is { IsKnown: true } known && !existing.Tag.IsPrivate ? known : existing.VR;
        return vr == DicomVR.SQ || existing is DicomSequence
            ? new DicomSequence(existing.Tag)
            : new DicomElement(existing.Tag, vr, ReadOnlyMemory<byte>.Empty);
    }

    // The study, series and instance UIDs at and below the level get their new values.
    private void MapIdentifiers(DicomDataset dataset, List<string> warnings)
    {
        foreach (var (tag, level) in Identifiers)
        {
            if (level < Level || IsReplaced(tag))
                continue;
            var kept = level switch
            {
                ResourceLevel.Study => KeepStudyInstanceUid,
                ResourceLevel.Series => KeepSeriesInstanceUid,
                _ => KeepSopInstanceUid,
            };
            if (kept)
            {
                warnings.Add($"Modifying {(level == ResourceLevel.Instance ? "an instance" : "a " + level.ToString().ToLowerInvariant())} while keeping its original {TagNames.Name(tag, dataset)}: This should be avoided!");
                continue;
            }

            dataset.AddString(tag, DicomVR.UI, MapIdentifier(dataset.GetString(tag) ?? "", level));
        }
    }

    // Without remapping, references to other instances are dropped instead.
    private void RemoveReferences(DicomDataset dataset)
    {
        foreach (var tag in _uids.Where(tag => !IsManuallyModified(tag)))
            dataset.Remove(tag);
        foreach (var tag in new[] { DicomTags.ReferencedImageSequence, DicomTags.SourceImageSequence })
        {
            if (!IsManuallyModified(tag))
                dataset.Remove(tag);
        }
    }
}

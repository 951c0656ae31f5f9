namespace DicomScript.Storage.Index;

/// <summary>The change types of Orthanc's change log, with Orthanc's numbers (those above 4095 are not logged).</summary>
public enum ChangeType
{
    CompletedSeries = 1,
    NewInstance = 2,
    NewPatient = 3,
    NewSeries = 4,
    NewStudy = 5,
    AnonymizedStudy = 6,
    AnonymizedSeries = 7,
    ModifiedStudy = 8,
    ModifiedSeries = 9,
    AnonymizedPatient = 10,
    ModifiedPatient = 11,
    StablePatient = 12,
    StableStudy = 13,
    StableSeries = 14,
    UpdatedAttachment = 15,
    UpdatedMetadata = 16,

    /// <summary>
    /// A resource was deleted. Orthanc only signals it (4096 is above what it logs); we log it, with
    /// the public id the gone resource can no longer give, so the Lua OnDeleted* events survive a
    /// crash like the others. Hidden from /changes, as in Orthanc.
    /// </summary>
    Deleted = 4096,
}

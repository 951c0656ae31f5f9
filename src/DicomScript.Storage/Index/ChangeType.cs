namespace DicomScript.Storage.Index;

/// <summary>
/// The change types of Orthanc's change log, with Orthanc's numbers. Orthanc logs none above 4095;
/// we log ours there for the Lua events, and /changes does not show them.
/// </summary>
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

    /// <summary>
    /// Ours: a copy of a stored instance arrived again and was not stored (AlreadyStored). Orthanc
    /// calls OnStoredInstance for it without logging anything; we log it (hidden from /changes) so
    /// that event too survives a crash.
    /// </summary>
    AlreadyStored = 4097,
}

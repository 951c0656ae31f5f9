namespace DicomScript.Storage.Index;

/// <summary>
/// The change types of Orthanc's change log, with Orthanc's numbers. Those above 4095 Orthanc only
/// signals; we keep them in the event log (for the Lua events), never in the change log.
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
    /// A resource was deleted. Orthanc only signals it; we keep it in the event log, so the Lua
    /// OnDeleted* events survive a crash like the others.
    /// </summary>
    Deleted = 4096,

    /// <summary>
    /// Ours: a copy of a stored instance arrived again and was not stored (AlreadyStored). Orthanc
    /// calls OnStoredInstance for it without logging anything; we keep it in the event log so that
    /// event too survives a crash.
    /// </summary>
    AlreadyStored = 4097,
}

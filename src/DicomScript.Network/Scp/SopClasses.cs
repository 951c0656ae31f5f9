using DicomScript.Dicom.Uids;

namespace DicomScript.Network.Scp;

/// <summary>The abstract syntaxes the SCP serves, by service.</summary>
public static class SopClasses
{
    public const string Verification = "1.2.840.10008.1.1";

    public const string PatientRootFind = "1.2.840.10008.5.1.4.1.2.1.1";
    public const string PatientRootMove = "1.2.840.10008.5.1.4.1.2.1.2";
    public const string PatientRootGet = "1.2.840.10008.5.1.4.1.2.1.3";
    public const string StudyRootFind = "1.2.840.10008.5.1.4.1.2.2.1";
    public const string StudyRootMove = "1.2.840.10008.5.1.4.1.2.2.2";
    public const string StudyRootGet = "1.2.840.10008.5.1.4.1.2.2.3";
    public const string PatientStudyOnlyFind = "1.2.840.10008.5.1.4.1.2.3.1";
    public const string PatientStudyOnlyMove = "1.2.840.10008.5.1.4.1.2.3.2";
    public const string PatientStudyOnlyGet = "1.2.840.10008.5.1.4.1.2.3.3";

    public static readonly IReadOnlySet<string> Find = new HashSet<string> { PatientRootFind, StudyRootFind, PatientStudyOnlyFind };
    public static readonly IReadOnlySet<string> Move = new HashSet<string> { PatientRootMove, StudyRootMove, PatientStudyOnlyMove };
    public static readonly IReadOnlySet<string> Get = new HashSet<string> { PatientRootGet, StudyRootGet, PatientStudyOnlyGet };

    /// <summary>True for well-known UIDs that are not storage SOP classes (so never "unknown storage").</summary>
    public static bool IsKnownNonStorage(string uid) =>
        uid == Verification || Find.Contains(uid) || Move.Contains(uid) || Get.Contains(uid)
        || DicomUids.Find(uid) is { Kind: not DicomUidKind.StorageSopClass };
}

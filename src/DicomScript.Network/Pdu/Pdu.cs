namespace DicomScript.Network.Pdu;

/// <summary>A protocol data unit of the DICOM upper layer (PS3.8 §9.3).</summary>
public abstract record Pdu
{
    public abstract PduType Type { get; }
}

/// <summary>A-RELEASE-RQ: the requestor asks to end the association.</summary>
public sealed record AReleaseRq : Pdu
{
    public override PduType Type => PduType.ReleaseRq;
}

/// <summary>A-RELEASE-RP: the release is confirmed.</summary>
public sealed record AReleaseRp : Pdu
{
    public override PduType Type => PduType.ReleaseRp;
}

/// <summary>Who aborted (PS3.8 Table 9-26).</summary>
public enum AbortSource : byte
{
    ServiceUser = 0,
    ServiceProvider = 2,
}

/// <summary>Provider reasons for an abort (PS3.8 Table 9-26).</summary>
public enum AbortReason : byte
{
    NotSpecified = 0,
    UnrecognizedPdu = 1,
    UnexpectedPdu = 2,
    UnrecognizedPduParameter = 4,
    UnexpectedPduParameter = 5,
    InvalidPduParameterValue = 6,
}

/// <summary>A-ABORT: the association ends at once.</summary>
public sealed record AAbort(AbortSource Source, AbortReason Reason) : Pdu
{
    public override PduType Type => PduType.Abort;
}

/// <summary>A-ASSOCIATE-RJ result (PS3.8 Table 9-21).</summary>
public enum RejectResult : byte
{
    Permanent = 1,
    Transient = 2,
}

/// <summary>A-ASSOCIATE-RJ source (PS3.8 Table 9-21).</summary>
public enum RejectSource : byte
{
    ServiceUser = 1,
    ServiceProviderAcse = 2,
    ServiceProviderPresentation = 3,
}

/// <summary>A-ASSOCIATE-RJ reasons (PS3.8 Table 9-21); the meaning depends on the source.</summary>
public static class RejectReasons
{
    /// <summary>Service user: no reason given.</summary>
    public const byte NoReasonGiven = 1;

    /// <summary>Service user: application context name not supported.</summary>
    public const byte ApplicationContextNotSupported = 2;

    /// <summary>Service user: calling AE title not recognized.</summary>
    public const byte CallingAETitleNotRecognized = 3;

    /// <summary>Service user: called AE title not recognized.</summary>
    public const byte CalledAETitleNotRecognized = 7;

    /// <summary>Service provider (ACSE): protocol version not supported.</summary>
    public const byte ProtocolVersionNotSupported = 2;

    /// <summary>Service provider (presentation): temporary congestion.</summary>
    public const byte TemporaryCongestion = 1;

    /// <summary>Service provider (presentation): local limit exceeded.</summary>
    public const byte LocalLimitExceeded = 2;
}

/// <summary>A-ASSOCIATE-RJ: the association is refused.</summary>
public sealed record AAssociateRj(RejectResult Result, RejectSource Source, byte Reason) : Pdu
{
    public override PduType Type => PduType.AssociateRj;
}

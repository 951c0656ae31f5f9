namespace DicomScript.Network.Pdu;

/// <summary>SCP/SCU role selection for one SOP class (PS3.7 Annex D.3.3.4); C-GET needs the SCP role for storage.</summary>
public sealed record RoleSelection(string SopClassUid, bool ScuRole, bool ScpRole);

/// <summary>SOP class extended negotiation (PS3.7 D.3.3.5): service-specific bytes, carried through unchanged.</summary>
public sealed record ExtendedNegotiation(string SopClassUid, byte[] ApplicationInformation);

/// <summary>User identity in an A-ASSOCIATE-RQ (PS3.7 D.3.3.7).</summary>
public sealed record UserIdentityRq(UserIdentityType IdentityType, bool PositiveResponseRequested, byte[] PrimaryField, byte[] SecondaryField);

/// <summary>How the user identity is given (PS3.7 Table D.3-14).</summary>
public enum UserIdentityType : byte
{
    Username = 1,
    UsernameAndPasscode = 2,
    KerberosTicket = 3,
    SamlAssertion = 4,
    JsonWebToken = 5,
}

/// <summary>
/// The user information item (0x50) of A-ASSOCIATE-RQ/AC. Sub-items we do not model (e.g. SOP class
/// common extended negotiation) are kept as raw (type, value) pairs so they survive a round trip.
/// </summary>
public sealed record UserInformation
{
    /// <summary>Largest P-DATA-TF PDU (variable field) the sender can receive; 0 means no limit.</summary>
    public uint MaxPduLength { get; init; }

    public string ImplementationClassUid { get; init; } = "";

    public string? ImplementationVersionName { get; init; }

    /// <summary>Asynchronous operations window: invoked, performed (null when not proposed).</summary>
    public (ushort Invoked, ushort Performed)? AsyncOperationsWindow { get; init; }

    public IReadOnlyList<RoleSelection> RoleSelections { get; init; } = [];

    public IReadOnlyList<ExtendedNegotiation> ExtendedNegotiations { get; init; } = [];

    public UserIdentityRq? UserIdentity { get; init; }

    /// <summary>The server response of a user identity negotiation (A-ASSOCIATE-AC only).</summary>
    public byte[]? UserIdentityResponse { get; init; }

    public IReadOnlyList<(byte Type, byte[] Value)> OtherItems { get; init; } = [];
}

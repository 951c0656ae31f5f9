using DicomScript.Network.Pdu;

namespace DicomScript.Network.Association;

/// <summary>What an acceptor answers to an A-ASSOCIATE-RQ: an A-ASSOCIATE-AC or an A-ASSOCIATE-RJ.</summary>
public sealed record AssociationDecision
{
    private AssociationDecision(AAssociateAc? accept, AAssociateRj? reject, string? reason)
    {
        Accept = accept;
        Reject = reject;
        Reason = reason;
    }

    public AAssociateAc? Accept { get; }

    public AAssociateRj? Reject { get; }

    /// <summary>Why it was rejected, for the log.</summary>
    public string? Reason { get; }

    public static AssociationDecision Accepted(AAssociateAc accept) => new(accept, null, null);

    public static AssociationDecision Rejected(AAssociateRj reject, string reason) => new(null, reject, reason);
}

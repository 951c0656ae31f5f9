namespace DicomScript.Network.Pdu;

/// <summary>A presentation context proposed in an A-ASSOCIATE-RQ: one abstract syntax, several transfer syntaxes.</summary>
public sealed record PresentationContextRq(byte Id, string AbstractSyntax, IReadOnlyList<string> TransferSyntaxes);

/// <summary>The acceptor's answer for one proposed presentation context (PS3.8 Table 9-18).</summary>
public enum PresentationContextResult : byte
{
    Acceptance = 0,
    UserRejection = 1,
    NoReason = 2,
    AbstractSyntaxNotSupported = 3,
    TransferSyntaxesNotSupported = 4,
}

/// <summary>A presentation context in an A-ASSOCIATE-AC: the result and the one transfer syntax chosen.</summary>
public sealed record PresentationContextAc(byte Id, PresentationContextResult Result, string TransferSyntax);

namespace DicomScript.Network;

/// <summary>Why an association failed or was refused.</summary>
public enum NetworkError
{
    /// <summary>Bytes that are not a PDU of PS3.8 (unknown type, bad item, inconsistent lengths).</summary>
    MalformedPdu,

    /// <summary>A PDU longer than negotiated or than we accept.</summary>
    PduTooLong,

    /// <summary>A PDU that is valid but not allowed in the association's state (e.g. P-DATA before association).</summary>
    UnexpectedPdu,

    /// <summary>The peer closed the connection.</summary>
    ConnectionClosed,

    /// <summary>The peer sent nothing for longer than the timeout.</summary>
    Timeout,

    /// <summary>The peer aborted the association (A-ABORT).</summary>
    Aborted,

    /// <summary>The peer rejected the association (A-ASSOCIATE-RJ).</summary>
    Rejected,

    /// <summary>A DIMSE message that cannot be understood.</summary>
    MalformedMessage,

    /// <summary>No accepted presentation context fits what is to be sent.</summary>
    NoPresentationContext,
}

/// <summary>The one exception type of the network layer, with its reason.</summary>
public sealed class DicomNetworkException : Exception
{
    /// <summary>
    /// Whether <paramref name="ex"/> is how a call to a remote peer fails (refused, closed, broken,
    /// timed out), as opposed to a bug or to the caller cancelling through <paramref name="cancellationToken"/>.
    /// </summary>
    public static bool IsPeerFailure(Exception ex, CancellationToken cancellationToken) =>
        ex is DicomNetworkException or IOException or System.Net.Sockets.SocketException or TimeoutException
        || ex is OperationCanceledException && !cancellationToken.IsCancellationRequested;

    public DicomNetworkException(NetworkError reason, string message)
        : base(message)
    {
        Reason = reason;
    }

    public DicomNetworkException(NetworkError reason, string message, Exception innerException)
        : base(message, innerException)
    {
        Reason = reason;
    }

    public DicomNetworkException()
        : this(NetworkError.MalformedPdu, "network error")
    {
    }

    public DicomNetworkException(string message)
        : this(NetworkError.MalformedPdu, message)
    {
    }

    public DicomNetworkException(string message, Exception innerException)
        : this(NetworkError.MalformedPdu, message, innerException)
    {
    }

    public NetworkError Reason { get; }
}

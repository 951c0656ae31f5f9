using DicomScript.Dicom.Data;
using DicomScript.Network.Dimse;
using DicomScript.Network.Scu;

namespace DicomScript.Network.Scp;

/// <summary>Who is asking: the association's AE titles and the peer's address.</summary>
public sealed record AssociationInfo(string CallingAETitle, string CalledAETitle, string RemoteHost, int RemotePort);

/// <summary>A handler's way to answer with a DIMSE status other than success.</summary>
public sealed class DimseStatusException : Exception
{
    public DimseStatusException(ushort status, string message)
        : base(message)
    {
        Status = status;
    }

    public DimseStatusException()
        : this(DimseStatus.ProcessingFailure, "processing failure")
    {
    }

    public DimseStatusException(string message)
        : this(DimseStatus.ProcessingFailure, message)
    {
    }

    public DimseStatusException(string message, Exception innerException)
        : base(message, innerException)
    {
        Status = DimseStatus.ProcessingFailure;
    }

    public ushort Status { get; }
}

/// <summary>C-ECHO: answers with a status (normally success).</summary>
public interface ICEchoHandler
{
    Task<ushort> EchoAsync(AssociationInfo caller, CancellationToken cancellationToken);
}

/// <summary>An incoming C-STORE: the command's identifiers and the dataset as received.</summary>
public sealed record CStoreRequest(AssociationInfo Caller, string SopClassUid, string SopInstanceUid, ReceivedDataSet DataSet,
    string? MoveOriginatorAETitle, ushort? MoveOriginatorMessageId);

/// <summary>C-STORE: stores an instance and answers with a DIMSE status (0 for success).</summary>
public interface ICStoreHandler
{
    Task<ushort> StoreAsync(CStoreRequest request, CancellationToken cancellationToken);
}

/// <summary>A C-FIND, C-MOVE or C-GET: the information model (SOP class) and the identifier.</summary>
public sealed record QueryRequest(AssociationInfo Caller, string SopClassUid, DicomDataset Identifier);

/// <summary>C-FIND: yields the matches; cancellation (C-CANCEL) stops the enumeration.</summary>
public interface ICFindHandler
{
    IAsyncEnumerable<DicomDataset> FindAsync(QueryRequest request, CancellationToken cancellationToken);
}

/// <summary>An instance to send as a C-MOVE or C-GET sub-operation, loaded only when its turn comes.</summary>
public interface IOutgoingInstance
{
    string SopClassUid { get; }

    string SopInstanceUid { get; }

    /// <summary>The syntax the instance is stored in (decides which presentation contexts to propose).</summary>
    string TransferSyntaxUid { get; }

    /// <summary>
    /// The file to send to <paramref name="destination"/> (a C-MOVE's destination, a C-GET's caller),
    /// or null when it must not go there (a filter of the archive decided so): nothing is sent and
    /// the sub-operation counts as completed, as when a store job skips it.
    /// </summary>
    Task<FileToSend?> LoadAsync(MoveDestination destination, CancellationToken cancellationToken);
}

/// <summary>Where a C-MOVE destination AE title points (for a C-GET: the caller itself).</summary>
public sealed record MoveDestination(string Host, int Port, string AETitle);

/// <summary>C-MOVE: which instances match, and where the destination is (null: unknown destination).</summary>
public interface ICMoveHandler
{
    Task<IReadOnlyList<IOutgoingInstance>> FindInstancesAsync(QueryRequest request, CancellationToken cancellationToken);

    Task<MoveDestination?> ResolveDestinationAsync(string destinationAETitle, AssociationInfo caller, CancellationToken cancellationToken);

    /// <summary>
    /// Whether the handler takes the sending over (the archive queues it as a job); the request is
    /// then answered at once with every sub-operation completed. By default it does not, and the
    /// sub-operations run on an association to the destination while the C-MOVE waits.
    /// </summary>
    Task<bool> HandOverAsync(IReadOnlyList<IOutgoingInstance> instances, MoveDestination destination, string originatorAETitle, ushort originatorMessageId,
        CancellationToken cancellationToken) => Task.FromResult(false);
}

/// <summary>C-GET: which instances match (they go back over the same association).</summary>
public interface ICGetHandler
{
    Task<IReadOnlyList<IOutgoingInstance>> FindInstancesAsync(QueryRequest request, CancellationToken cancellationToken);
}

/// <summary>The services a caller may be allowed or refused, one by one.</summary>
public enum DicomService
{
    Echo,
    Store,
    Find,
    Move,
    Get,
}

/// <summary>Decides who may associate and which services they may use (the server's allow lists).</summary>
public interface IAssociationPolicy
{
    /// <summary>Null to allow the association, else the reason for rejecting it.</summary>
    string? Check(AssociationInfo caller);

    /// <summary>Whether the caller may use a service: its presentation contexts are refused when not.</summary>
    bool AllowService(AssociationInfo caller, DicomService service) => true;
}

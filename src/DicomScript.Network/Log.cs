using Microsoft.Extensions.Logging;

namespace DicomScript.Network;

/// <summary>The network layer's log messages (source-generated; event ids 1000–1099).</summary>
internal static partial class Log
{
    [LoggerMessage(1000, LogLevel.Information, "Association from {Calling} ({Remote}) to {Called} accepted: {Accepted} of {Proposed} presentation contexts")]
    public static partial void AssociationAccepted(ILogger logger, string calling, string? remote, string called, int accepted, int proposed);

    [LoggerMessage(1001, LogLevel.Warning, "Association from {Calling} ({Remote}) to {Called} rejected: {Reason}")]
    public static partial void AssociationRejected(ILogger logger, string calling, string? remote, string called, string reason);

    [LoggerMessage(1002, LogLevel.Warning, "Association with {Remote} aborted: {Reason}")]
    public static partial void AssociationAborted(ILogger logger, string? remote, string reason);

    [LoggerMessage(1003, LogLevel.Debug, "Association with {Remote} released")]
    public static partial void AssociationReleased(ILogger logger, string? remote);

    [LoggerMessage(1004, LogLevel.Error, "Handler for {Command} from {Remote} failed")]
    public static partial void HandlerFailed(ILogger logger, Exception exception, string command, string? remote);

    [LoggerMessage(1005, LogLevel.Warning, "Connection from {Remote} closed before association: {Reason}")]
    public static partial void ConnectionDropped(ILogger logger, string? remote, string reason);

    [LoggerMessage(1006, LogLevel.Debug, "Ignoring a response to unknown message {MessageId} from {Remote}")]
    public static partial void UnexpectedResponse(ILogger logger, ushort messageId, string? remote);

    [LoggerMessage(1007, LogLevel.Warning, "Refusing connection from {Remote}: {Reason}")]
    public static partial void ConnectionRefused(ILogger logger, string? remote, string reason);

    [LoggerMessage(1008, LogLevel.Warning, "Retrieve sub-operation for {SopInstanceUid} failed with status 0x{Status:X4}: {Reason}")]
    public static partial void SubOperationFailed(ILogger logger, string sopInstanceUid, ushort status, string reason);
}

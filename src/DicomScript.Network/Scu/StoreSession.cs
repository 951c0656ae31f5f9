using DicomScript.Network.Association;

namespace DicomScript.Network.Scu;

/// <summary>
/// An association kept open for C-STOREs sent one at a time (a store job sends one instance per
/// step, Lua routing reuses an association between events). Release it when done; disposing
/// without releasing aborts.
/// </summary>
public sealed class StoreSession : IAsyncDisposable
{
    private readonly DicomAssociation _association;
    private readonly TimeSpan _responseTimeout;

    internal StoreSession(DicomAssociation association, TimeSpan responseTimeout)
    {
        _association = association;
        _responseTimeout = responseTimeout;
    }

    /// <summary>False once the peer released or aborted the association, or it failed.</summary>
    public bool IsOpen => _association.State == AssociationState.Established;

    /// <summary>Sends one instance; the peer's status (<see cref="InstanceSender.NoContextStatus"/> when no accepted context fits it).</summary>
    public Task<ushort> SendAsync(FileToSend file, string? moveOriginatorAETitle = null, ushort? moveOriginatorMessageId = null,
        CancellationToken cancellationToken = default) =>
        InstanceSender.SendAsync(_association, file, _responseTimeout, moveOriginatorAETitle, moveOriginatorMessageId, cancellationToken);

    public Task ReleaseAsync(CancellationToken cancellationToken = default) => _association.ReleaseAsync(cancellationToken);

    /// <summary>
    /// Ends the session: released first when <paramref name="release"/> and still open (a peer gone
    /// meanwhile is fine: there is nothing left to tell it), then disposed.
    /// </summary>
    public async Task CloseAsync(bool release)
    {
        try
        {
            if (release && IsOpen)
                await ReleaseAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (DicomNetworkException.IsPeerFailure(ex, CancellationToken.None))
        {
            // The peer went away after our last instance.
        }
        finally
        {
            await DisposeAsync().ConfigureAwait(false);
        }
    }

    public ValueTask DisposeAsync() => _association.DisposeAsync();
}

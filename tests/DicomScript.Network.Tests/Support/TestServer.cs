using System.Collections.Concurrent;
using System.Net;
using DicomScript.Dicom.Data;
using DicomScript.Dicom.Tests.Support;
using DicomScript.Dicom.IO;
using DicomScript.Network.Dimse;
using DicomScript.Network.Scp;
using DicomScript.Network.Scu;

namespace DicomScript.Network.Tests.Support;

/// <summary>
/// Our SCP on loopback (port chosen by the system) with in-memory handlers: it keeps every stored
/// instance and answers C-FIND/C-MOVE/C-GET from them.
/// </summary>
public sealed class TestServer : IAsyncDisposable, ICEchoHandler, ICStoreHandler, ICFindHandler, ICMoveHandler, ICGetHandler
{
    public const string AETitle = "DICOMSCRIPT";

    private readonly DicomServer _server;

    public TestServer(DicomServerOptions? options = null, IAssociationPolicy? policy = null)
    {
        Options = (options ?? new DicomServerOptions()) with { AETitle = AETitle, BindAddress = IPAddress.Loopback, Port = 0 };
        _server = new DicomServer(Options, new HandlerSet(this, this, this, this, this, policy), Logger);
        _server.Start();
    }

    public DicomServerOptions Options { get; }

    public ListLogger Logger { get; } = new();

    /// <summary>When set, C-STORE throws this (to test a failing handler).</summary>
    public Exception? StoreFailure { get; set; }

    public int Port => _server.Port;

    public DicomServer Server => _server;

    /// <summary>What arrived by C-STORE, parsed, with the syntax it came in, by SOP instance UID.</summary>
    public ConcurrentDictionary<string, (DicomDataset Dataset, DicomTransferSyntax Syntax, CStoreRequest Request)> Stored { get; } = new();

    /// <summary>Instances offered to C-FIND, C-MOVE and C-GET.</summary>
    public List<DicomFile> Archive { get; } = [];

    /// <summary>Where C-MOVE destinations are, by AE title.</summary>
    public Dictionary<string, MoveDestination> Destinations { get; } = [];

    /// <summary>Optional delay per C-FIND match (to test C-CANCEL).</summary>
    public TimeSpan FindDelay { get; set; }

    /// <summary>Set when a C-FIND was stopped by C-CANCEL.</summary>
    public bool FindCancelled { get; private set; }

    public Task<ushort> EchoAsync(AssociationInfo caller, CancellationToken cancellationToken) => Task.FromResult(DimseStatus.Success);

    public Task<ushort> StoreAsync(CStoreRequest request, CancellationToken cancellationToken)
    {
        if (StoreFailure is not null)
            throw StoreFailure;
        Stored[request.SopInstanceUid] = (request.DataSet.Parse(), request.DataSet.TransferSyntax, request);
        return Task.FromResult(DimseStatus.Success);
    }

    public async IAsyncEnumerable<DicomDataset> FindAsync(QueryRequest request, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var registration = cancellationToken.Register(() => FindCancelled = true);
        foreach (var file in Matches(request.Identifier))
        {
            if (FindDelay > TimeSpan.Zero)
                await Task.Delay(FindDelay, cancellationToken);
            cancellationToken.ThrowIfCancellationRequested();
            var answer = new DicomDataset();
            foreach (var key in request.Identifier)
            {
                if (file.Dataset.Get(key.Tag) is { } item)
                    answer.Add(item);
                else
                    answer.Add(key);
            }

            yield return answer;
        }
    }

    public Task<IReadOnlyList<IOutgoingInstance>> FindInstancesAsync(QueryRequest request, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<IOutgoingInstance>>([.. Matches(request.Identifier).Select(f => new Outgoing(f))]);

    public Task<MoveDestination?> ResolveDestinationAsync(string destinationAETitle, AssociationInfo caller, CancellationToken cancellationToken) =>
        Task.FromResult(Destinations.GetValueOrDefault(destinationAETitle));

    // Matching for tests: every non-empty string key must equal the instance's value ('*' matches all).
    private IEnumerable<DicomFile> Matches(DicomDataset identifier) => Archive.Where(file =>
        identifier.OfType<DicomElement>().All(key =>
        {
            var wanted = DicomDataset.DecodeText(key, identifier.CharacterSet);
            return key.Tag.Group == 0x0008 && key.Tag.Element == 0x0052 || wanted.Length == 0 || wanted == "*"
                   || file.Dataset.GetString(key.Tag) == wanted;
        }));

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private sealed class Outgoing(DicomFile file) : IOutgoingInstance
    {
        public string SopClassUid => file.Dataset.GetString(Dicom.Dictionary.DicomTags.SOPClassUID) ?? "";

        public string SopInstanceUid => file.Dataset.GetString(Dicom.Dictionary.DicomTags.SOPInstanceUID) ?? "";

        public string TransferSyntaxUid => file.TransferSyntax.Uid;

        public Task<FileToSend?> LoadAsync(MoveDestination destination, CancellationToken cancellationToken) => Task.FromResult<FileToSend?>(new FileToSend(file));
    }
}

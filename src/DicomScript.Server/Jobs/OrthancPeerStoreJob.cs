using System.Globalization;
using System.IO.Compression;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using DicomScript.Server.Configuration;

namespace DicomScript.Server.Jobs;

/// <summary>
/// Sends a set of instances to one of the OrthancPeers by <c>POST {Url}instances</c> (Orthanc's
/// OrthancPeerStore job), with the peer's credentials, HTTP headers and timeout (else HttpTimeout);
/// optionally gzip-compressed (<c>Content-Encoding: gzip</c>, understood by Orthanc ≥ 1.6 and by
/// us). Any answer other than 2xx fails the instance. Size counts the bytes sent.
/// </summary>
public sealed class OrthancPeerStoreJob : SetOfInstancesJob
{
    public const string JobType = "OrthancPeerStore";

    // One pool of connections for all peer jobs; each request carries its own timeout.
    private static readonly HttpClient Http = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    private readonly DicomScriptServer _archive;
    private long _size;

    public OrthancPeerStoreJob(DicomScriptServer archive, OrthancPeer peer, bool compress, IEnumerable<string> instances, IEnumerable<string> parentResources,
        bool permissive, string description)
        : base(description, instances, parentResources, permissive)
    {
        _archive = archive ?? throw new ArgumentNullException(nameof(archive));
        Peer = peer ?? throw new ArgumentNullException(nameof(peer));
        Compress = compress;
    }

    internal OrthancPeerStoreJob(DicomScriptServer archive, JsonObject saved)
        : base(saved)
    {
        _archive = archive;
        Peer = OrthancPeer.Parse(JobJson.String(saved, "PeerName"), saved["Peer"]);
        Compress = JobJson.Boolean(saved, "Compress");
        _size = long.Parse(JobJson.String(saved, "Size"), CultureInfo.InvariantCulture);
    }

    public override string Type => JobType;

    public OrthancPeer Peer { get; }

    public bool Compress { get; }

    protected override async Task<bool> HandleInstanceAsync(string instanceId, CancellationToken cancellationToken)
    {
        byte[]? body;
        try
        {
            body = _archive.ReadFileBytes(instanceId);
        }
        catch (IOException)
        {
            body = null;
        }

        if (body is null)
            return false; // deleted since the job was made

        if (Compress)
            body = Gzip(body);
        _size += body.Length;
        await PostAsync(_archive, Peer, body, Compress, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>POSTs one DICOM file (gzipped when <paramref name="gzipped"/>) to the peer's /instances; a refusal or an unreachable peer throws <see cref="JobException"/>.</summary>
    internal static async Task PostAsync(DicomScriptServer archive, OrthancPeer peer, byte[] body, bool gzipped, CancellationToken cancellationToken)
    {
        using var request = peer.CreateRequest(HttpMethod.Post, "instances");
        request.Content = new ByteArrayContent(body);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/dicom");
        if (gzipped)
            request.Content.Headers.ContentEncoding.Add("gzip");
        try
        {
            var (status, _) = await peer.SendAsync(Http, request, archive.Configuration.HttpTimeout, cancellationToken).ConfigureAwait(false);
            if ((int)status is < 200 or >= 300)
                throw new JobException(OrthancError.NetworkProtocol, $"The peer {peer.Name} answered HTTP {(int)status} to POST {peer.BaseUrl}instances");
        }
        catch (Exception ex) when (OrthancPeer.IsUnreachable(ex, cancellationToken))
        {
            throw new JobException(OrthancError.NetworkProtocol, $"Cannot send to the peer {peer.Name} ({peer.BaseUrl}): {ex.Message}");
        }
    }

    private static byte[] Gzip(byte[] data)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal))
            gzip.Write(data);
        return buffer.ToArray();
    }

    public override void Reset()
    {
        base.Reset();
        _size = 0;
    }

    public override JsonObject PublicContent()
    {
        var content = base.PublicContent();
        content["Peer"] = Peer.ToJson(includePasswords: false);
        content["Compress"] = Compress;
        content["Size"] = _size.ToString(CultureInfo.InvariantCulture);
        content["SizeMB"] = _size / (1024 * 1024);
        return content;
    }

    public override JsonObject Serialize()
    {
        var saved = base.Serialize();
        saved["PeerName"] = Peer.Name;
        saved["Peer"] = Peer.ToJson(includePasswords: true, forceObject: true);
        saved["Compress"] = Compress;
        saved["Size"] = _size.ToString(CultureInfo.InvariantCulture);
        return saved;
    }
}

using System.Text.Json.Nodes;
using DicomScript.Dicom.IO;
using DicomScript.Network;
using DicomScript.Network.Scu;
using DicomScript.Server.Configuration;
using DicomScript.Server.Remote;

namespace DicomScript.Server.Jobs;

/// <summary>
/// C-STORE of a set of instances to one of the DicomModalities (Orthanc's DicomModalityStore job):
/// one association for the whole job, opened at the first instance and released when the job
/// stops (ends, pauses, fails). A status other than success or the warnings Orthanc accepts
/// (0xB000, 0xB006, 0xB007) fails the instance with Orthanc's message.
/// </summary>
public sealed class DicomModalityStoreJob : SetOfInstancesJob
{
    public const string JobType = "DicomModalityStore";

    private readonly DicomScriptServer _archive;
    private StoreSession? _session;

    public DicomModalityStoreJob(DicomScriptServer archive, StoreJobTarget target, IEnumerable<string> instances, IEnumerable<string> parentResources,
        bool permissive, string description)
        : base(description, instances, parentResources, permissive)
    {
        _archive = archive ?? throw new ArgumentNullException(nameof(archive));
        Target = target ?? throw new ArgumentNullException(nameof(target));
    }

    internal DicomModalityStoreJob(DicomScriptServer archive, JsonObject saved)
        : base(saved)
    {
        _archive = archive;
        Target = new StoreJobTarget(DicomModality.Parse(JobJson.String(saved, "RemoteName"), JobJson.Object(saved, "Remote")), JobJson.String(saved, "LocalAet"))
        {
            Timeout = JobJson.OptionalInteger(saved, "Timeout"),
            MoveOriginatorAet = JobJson.OptionalString(saved, "MoveOriginatorAet"),
            MoveOriginatorId = JobJson.OptionalInteger(saved, "MoveOriginatorId") is { } id ? (ushort)id : null,
        };
    }

    public override string Type => JobType;

    public StoreJobTarget Target { get; }

    protected override async Task<bool> HandleInstanceAsync(string instanceId, CancellationToken cancellationToken)
    {
        if (_archive.ReadFileToSend(instanceId) is not { } stored)
            return false; // deleted (or damaged) since the job was made
        var file = stored.File;
        var remote = Target.Remote;
        if (IsFilteredOut(_archive, file, remote))
            return true;
        ushort status;
        try
        {
            _session ??= await OpenAsync(cancellationToken).ConfigureAwait(false);
            status = await _session.SendAsync(stored, Target.MoveOriginatorAet, Target.MoveOriginatorId, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (DicomNetworkException.IsPeerFailure(ex, cancellationToken))
        {
            await CloseAsync(release: false).ConfigureAwait(false);
            throw Unreachable(remote.AET, ex);
        }

        ThrowIfRefused(status, file, remote.AET);
        if (!_session.IsOpen)
            await CloseAsync(release: false).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// True when OutgoingCStoreInstanceFilter keeps <paramref name="file"/> from <paramref name="remote"/>:
    /// the instance is skipped, not failed. A failing filter fails the job.
    /// </summary>
    internal static bool IsFilteredOut(DicomScriptServer archive, DicomFile file, DicomModality remote)
    {
        try
        {
            return !archive.Hooks.MaySend(file, remote.AET, remote.Host);
        }
        catch (Scripting.ScriptException ex)
        {
            throw new JobException(ex.Error, $"OutgoingCStoreInstanceFilter: {ex.Message}");
        }
    }

    /// <summary>How a C-STORE job fails when <paramref name="aet"/> cannot be reached or drops the association (Orthanc's wording).</summary>
    internal static JobException Unreachable(string aet, Exception failure) =>
        new(OrthancError.NetworkProtocol, $"DicomAssociation - C-STORE to AET \"{aet}\": {failure.Message}");

    /// <summary>Fails the job when <paramref name="status"/> refused the instance (warnings Orthanc accepts pass).</summary>
    internal static void ThrowIfRefused(ushort status, DicomFile file, string aet)
    {
        if (StoreStatus.Failure(status, file, aet) is { } failure)
            throw new JobException(OrthancError.NetworkProtocol, failure);
    }

    // One association for every instance still to send: a context for each kind among them.
    private Task<StoreSession> OpenAsync(CancellationToken cancellationToken)
    {
        var kinds = Instances.SelectMany(_archive.Index.InstanceSummariesOf).Select(i => (i.SopClassUid, i.TransferSyntaxUid)).Distinct();
        return _archive.ClientFor(Target.Remote, Target.Timeout, Target.LocalAet).OpenStoreSessionAsync(kinds, cancellationToken);
    }

    public override ValueTask StopAsync(JobStopReason reason) => new(CloseAsync(release: reason != JobStopReason.Shutdown));

    private async Task CloseAsync(bool release)
    {
        if (_session is null)
            return;
        var session = _session;
        _session = null;
        await session.CloseAsync(release).ConfigureAwait(false);
    }

    public override JsonObject PublicContent()
    {
        var content = base.PublicContent();
        content["LocalAet"] = Target.LocalAet;
        content["RemoteAet"] = Target.Remote.AET;
        if (Target.MoveOriginatorId is { } id)
        {
            content["MoveOriginatorAET"] = Target.MoveOriginatorAet;
            content["MoveOriginatorID"] = id;
        }

        return content;
    }

    public override JsonObject Serialize()
    {
        var saved = base.Serialize();
        saved["RemoteName"] = Target.Remote.Name;
        saved["Remote"] = Target.Remote.ToJson();
        saved["LocalAet"] = Target.LocalAet;
        saved["Timeout"] = Target.Timeout;
        saved["MoveOriginatorAet"] = Target.MoveOriginatorAet;
        saved["MoveOriginatorId"] = Target.MoveOriginatorId;
        return saved;
    }
}

/// <summary>
/// Where a store job sends: the modality, the calling AE title it reports (the modality's own
/// LocalAet wins on the wire), an optional timeout, and a C-MOVE originator to announce.
/// </summary>
public sealed record StoreJobTarget(DicomModality Remote, string LocalAet)
{
    public int? Timeout { get; init; }

    public string? MoveOriginatorAet { get; init; }

    public ushort? MoveOriginatorId { get; init; }
}

using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using DicomScript.Dicom.IO;
using DicomScript.Server.Ingest;
using DicomScript.Server.Modification;
using DicomScript.Storage.Identifiers;
using DicomScript.Storage.Index;

namespace DicomScript.Server.Jobs;

/// <summary>
/// The operations a Lua callback recorded with SendToModality, SendToPeer, ModifyInstance, Delete and
/// CallSystem, run in order (Orthanc's SequenceOfOperations job), one per step. An operation whose
/// Resource is "" works on the output of the one before (the instance ModifyInstance stored). The
/// first operation that fails fails the job and the rest do not run: in
/// <c>Delete(SendToModality(id, 'pacs'))</c> a failed send keeps the instance (Orthanc deletes it
/// and reports Success). Each step costs the same however many operations the job holds.
/// </summary>
public sealed class SequenceOfOperationsJob : Job
{
    public const string JobType = "SequenceOfOperations";

    private readonly DicomScriptServer _archive;
    private readonly JsonArray _operations;
    private int _position;
    private string? _chained; // the output of the last operation, for one whose Resource is ""

    /// <param name="archive">The archive the operations work on.</param>
    /// <param name="operations">The records of the Lua helpers: {Operation, Resource, ...}.</param>
    public SequenceOfOperationsJob(DicomScriptServer archive, JsonArray operations)
    {
        _archive = archive ?? throw new ArgumentNullException(nameof(archive));
        _operations = operations ?? throw new ArgumentNullException(nameof(operations));
    }

    internal SequenceOfOperationsJob(DicomScriptServer archive, JsonObject saved)
    {
        _archive = archive;
        _operations = (JsonArray)JobJson.Items(saved, "Operations").DeepClone();
        _position = JobJson.Integer(saved, "Position");
        _chained = JobJson.OptionalString(saved, "Chained");
    }

    public override string Type => JobType;

    public override float Progress => _operations.Count == 0 ? 1 : (float)_position / _operations.Count;

    public override async Task<JobStepResult> StepAsync(string jobId, CancellationToken cancellationToken)
    {
        if (_position >= _operations.Count)
            return JobStepResult.Success;
        var operation = _operations[_position] as JsonObject ?? throw new JobException(OrthancError.BadFileFormat, $"Operation {_position + 1} is not an object");
        var name = Text(operation, "Operation") ?? "";
        var resource = Text(operation, "Resource") is { Length: > 0 } id ? id
            : _chained ?? throw new JobException(OrthancError.BadSequenceOfCalls, $"Lua operation {name}: the operation before gave no resource to work on");
        _chained = name switch
        {
            "store-scu" => await StoreToModalityAsync(operation, resource, cancellationToken).ConfigureAwait(false),
            "store-peer" => await StoreToPeerAsync(operation, resource, cancellationToken).ConfigureAwait(false),
            "modify" => await ModifyAsync(operation, resource, cancellationToken).ConfigureAwait(false),
            "delete" => Delete(resource),
            "call-system" => await CallSystemAsync(operation, resource, cancellationToken).ConfigureAwait(false),
            _ => throw new JobException(OrthancError.ParameterOutOfRange, $"Unknown Lua operation: {name}"),
        };
        _position++;
        return _position < _operations.Count ? JobStepResult.Continue : JobStepResult.Success;
    }

    private async Task<string> StoreToModalityAsync(JsonObject operation, string resource, CancellationToken cancellationToken)
    {
        var name = Text(operation, "Modality") ?? "";
        var modality = _archive.Configuration.ModalityNamed(name) ?? throw new JobException(OrthancError.InexistentItem, $"Unknown modality: {name}");
        var callingAet = Text(operation, "LocalAet") is { Length: > 0 } aet ? aet : _archive.Configuration.DicomAet;
        foreach (var instance in InstancesOf(resource))
        {
            if (_archive.ReadFileToSend(instance) is not { } stored || DicomModalityStoreJob.IsFilteredOut(_archive, stored.File, modality))
                continue; // deleted meanwhile, or not for this modality
            ushort status;
            try
            {
                status = await _archive.Associations.SendAsync(modality, callingAet, stored, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (Network.DicomNetworkException.IsPeerFailure(ex, cancellationToken))
            {
                throw DicomModalityStoreJob.Unreachable(modality.AET, ex);
            }

            DicomModalityStoreJob.ThrowIfRefused(status, stored.File, modality.AET);
        }

        return resource;
    }

    private async Task<string> StoreToPeerAsync(JsonObject operation, string resource, CancellationToken cancellationToken)
    {
        var name = Text(operation, "Peer") ?? "";
        var peer = _archive.Configuration.PeerNamed(name) ?? throw new JobException(OrthancError.InexistentItem, $"Unknown peer: {name}");
        foreach (var instance in InstancesOf(resource))
        {
            if (_archive.ReadFileBytes(instance) is { } bytes)
                await OrthancPeerStoreJob.PostAsync(_archive, peer, bytes, gzipped: false, cancellationToken).ConfigureAwait(false);
        }

        return resource;
    }

    // Orthanc's instance-level modification (a new SOPInstanceUID), without Force; stored with origin
    // Lua and ModifiedFrom. The values come as the script wrote them: '77' stays a string.
    private async Task<string> ModifyAsync(JsonObject operation, string instanceId, CancellationToken cancellationToken)
    {
        var request = new JsonObject
        {
            // Lua has one table kind: an empty {} arrives as [].
            ["Replace"] = operation["Replace"] is JsonObject replace ? replace.DeepClone() : new JsonObject(),
            ["Remove"] = operation["Remove"] is JsonArray remove ? remove.DeepClone() : new JsonArray(),
            ["RemovePrivateTags"] = operation["RemovePrivateTags"] is JsonValue flag && flag.TryGetValue<bool>(out var yes) && yes,
        };
        (DicomFile File, OrthancIdentifiers Source)? modified;
        try
        {
            modified = _archive.Modifier.Modify(instanceId, ModificationRequest.ParseModify(request, _archive.Configuration.DefaultPrivateCreator));
        }
        catch (ModificationException ex)
        {
            throw new JobException(ex.Error, $"Lua: Unable to modify instance {instanceId}: {ex.Message}");
        }

        if (modified is not var (file, _))
            throw new JobException(OrthancError.UnknownResource, $"Lua: Unable to modify instance {instanceId}: it is not a stored instance");
        var metadata = new Dictionary<ResourceLevel, IReadOnlyDictionary<int, string>>
        {
            [ResourceLevel.Instance] = new Dictionary<int, string> { [(int)MetadataType.ModifiedFrom] = instanceId },
        };
        var result = await _archive.Ingest.IngestAsync(DicomWriter.ToBytes(file), InstanceOrigin.Lua, metadata, cancellationToken).ConfigureAwait(false);
        if (result.Status is not (IngestStatus.Success or IngestStatus.AlreadyStored))
            throw new JobException(OrthancError.CannotStoreInstance, "Error while storing a modified instance " + instanceId);
        return result.InstanceId;
    }

    private string? Delete(string resource)
    {
        _archive.Delete(resource);
        return null;
    }

    // `command arguments... <copy of the DICOM file>`; a non-zero exit fails the job.
    private async Task<string> CallSystemAsync(JsonObject operation, string instanceId, CancellationToken cancellationToken)
    {
        var command = Text(operation, "Command") ?? throw new JobException(OrthancError.BadParameterType, "No command was specified for system call");
        var bytes = _archive.ReadFileBytes(instanceId) ?? throw new JobException(OrthancError.UnknownResource, $"Lua: CallSystem on {instanceId}, which is not a stored instance");
        var copy = Path.Combine(Path.GetTempPath(), $"DicomScript-{Guid.NewGuid():N}.dcm");
        try
        {
            await File.WriteAllBytesAsync(copy, bytes, cancellationToken).ConfigureAwait(false);
            var start = new ProcessStartInfo(command) { UseShellExecute = false };
            if (operation["Arguments"] is JsonArray arguments)
            {
                foreach (var argument in arguments)
                    start.ArgumentList.Add(argument is JsonValue value ? value.ToString() : argument?.ToJsonString() ?? "");
            }

            start.ArgumentList.Add(copy);
            using var process = Process.Start(start) ?? throw new JobException(OrthancError.SystemCommand, $"Cannot run {command}");
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            if (process.ExitCode != 0)
                throw new JobException(OrthancError.SystemCommand, $"{command} exited with code {process.ExitCode.ToString(CultureInfo.InvariantCulture)}");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new JobException(OrthancError.SystemCommand, $"Cannot run {command}: {ex.Message}");
        }
        finally
        {
            File.Delete(copy);
        }

        return instanceId;
    }

    // The instances of a resource at any level (an OnStableStudy script may send the study).
    private List<string> InstancesOf(string resource)
    {
        if (_archive.Index.LevelOf(resource) is not { } level)
            throw new JobException(OrthancError.UnknownResource, $"Unknown resource: {resource}");
        return level == ResourceLevel.Instance ? [resource] : [.. _archive.Index.InstanceSummariesOf(resource).Select(i => i.PublicId)];
    }

    private static string? Text(JsonObject operation, string key) => operation[key] is JsonValue value ? value.ToString() : null;

    public override void Reset()
    {
        _position = 0;
        _chained = null;
    }

    public override JsonObject PublicContent() => new() { ["CountOperations"] = _operations.Count, ["Description"] = "Lua" };

    public override JsonObject Serialize() => new()
    {
        ["Type"] = JobType,
        ["Operations"] = _operations.DeepClone(),
        ["Position"] = _position,
        ["Chained"] = _chained,
    };
}

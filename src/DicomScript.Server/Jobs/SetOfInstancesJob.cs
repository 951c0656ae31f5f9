using System.Text.Json.Nodes;

namespace DicomScript.Server.Jobs;

/// <summary>
/// A job handling a list of instances, one per step (Orthanc's SetOfInstancesJob): sending them to
/// a modality or a peer. An instance that fails (gone since the job was made, refused by the
/// peer) fails the job, unless it is permissive: then it is counted in FailedInstancesCount and
/// the job goes on. (A permissive Orthanc counts only vanished instances there, not refused ones.)
/// </summary>
public abstract class SetOfInstancesJob : Job
{
    private readonly List<string> _instances;
    private readonly SortedSet<string> _parentResources;
    private readonly SortedSet<string> _failed = new(StringComparer.Ordinal);
    private int _position;

    protected SetOfInstancesJob(string description, IEnumerable<string> instances, IEnumerable<string> parentResources, bool permissive)
    {
        Description = description;
        _instances = [.. instances];
        _parentResources = new SortedSet<string>(parentResources, StringComparer.Ordinal);
        Permissive = permissive;
    }

    protected SetOfInstancesJob(JsonObject saved)
    {
        ArgumentNullException.ThrowIfNull(saved);
        Description = JobJson.String(saved, "Description");
        Permissive = JobJson.Boolean(saved, "Permissive");
        _position = JobJson.Integer(saved, "Position");
        _instances = JobJson.Strings(saved, "Instances");
        _parentResources = new SortedSet<string>(JobJson.Strings(saved, "ParentResources"), StringComparer.Ordinal);
        _failed.UnionWith(JobJson.Strings(saved, "FailedInstances"));
        if (_position < 0 || _position > _instances.Count + 1)
            throw new FormatException($"position {_position} of a job with {_instances.Count} instances");
    }

    public string Description { get; }

    public bool Permissive { get; }

    public IReadOnlyList<string> Instances => _instances;

    public override float Progress => StepCount == 0 ? 1 : (float)_position / StepCount;

    /// <summary>One step per instance, and one more when the job ends with a trailing step.</summary>
    private int StepCount => _instances.Count + (HasTrailingStep ? 1 : 0);

    /// <summary>Whether <see cref="TrailingStepAsync"/> runs once every instance is handled.</summary>
    protected virtual bool HasTrailingStep => false;

    /// <summary>The last step, after every instance (e.g. deleting the originals of modified instances).</summary>
    protected virtual Task TrailingStepAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Handles one instance: false when it could not be (e.g. deleted meanwhile); a <see cref="JobException"/> for a failure with a reason.</summary>
    protected abstract Task<bool> HandleInstanceAsync(string instanceId, CancellationToken cancellationToken);

    public override async Task<JobStepResult> StepAsync(string jobId, CancellationToken cancellationToken)
    {
        if (StepCount == 0)
        {
            _position = 1;
            return JobStepResult.Success;
        }

        if (_position == _instances.Count)
        {
            await TrailingStepAsync(cancellationToken).ConfigureAwait(false);
            _position++;
            return JobStepResult.Success;
        }

        var instance = _instances[_position];
        try
        {
            if (!await HandleInstanceAsync(instance, cancellationToken).ConfigureAwait(false))
            {
                _failed.Add(instance);
                if (!Permissive)
                    return JobStepResult.Failure(OrthancError.InternalError, "");
            }
        }
        catch (JobException ex)
        {
            if (!Permissive)
                return JobStepResult.Failure(ex.Error, ex.Message);
            _failed.Add(instance);
        }

        _position++;
        return _position == StepCount ? JobStepResult.Success : JobStepResult.Continue;
    }

    public override void Reset()
    {
        _position = 0;
        _failed.Clear();
    }

    public override JsonObject PublicContent()
    {
        var content = new JsonObject
        {
            ["Description"] = Description,
            ["InstancesCount"] = _instances.Count,
            ["FailedInstancesCount"] = _failed.Count,
        };
        if (_parentResources.Count > 0)
            content["ParentResources"] = JobJson.Array(_parentResources);
        return content;
    }

    public override JsonObject Serialize() => new()
    {
        ["Type"] = Type,
        ["Description"] = Description,
        ["Permissive"] = Permissive,
        ["Position"] = _position,
        ["Instances"] = JobJson.Array(_instances),
        ["ParentResources"] = JobJson.Array(_parentResources),
        ["FailedInstances"] = JobJson.Array(_failed),
    };
}

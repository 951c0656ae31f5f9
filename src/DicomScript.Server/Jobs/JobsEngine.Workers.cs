using Microsoft.Extensions.Logging;

namespace DicomScript.Server.Jobs;

// The workers: each takes the first pending job and runs its steps until it ends, is paused or
// canceled, asks for a retry, or the engine stops (then it stays "Running" in the saved state and
// is queued again at the next start).
public sealed partial class JobsEngine
{
    private async Task WorkAsync()
    {
        var token = _stopping.Token;
        while (!token.IsCancellationRequested)
        {
            try
            {
                await _available.WaitAsync(token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            JobHandler? handler;
            lock (_lock)
            {
                // A paused or canceled job leaves the queue without taking its signal back.
                if (!_pending.TryDequeue(out handler, out _))
                    continue;
                handler.Error = OrthancError.Success;
                handler.ErrorDetails = "";
                // Not saved: a job saved as Pending is queued again at the next start, as a Running one is.
                handler.SetState(JobState.Running, Now);
            }

            await RunAsync(handler, token).ConfigureAwait(false);
        }
    }

    private async Task RunAsync(JobHandler handler, CancellationToken token)
    {
        LogRunning(_logger, handler.Job.Type, handler.Id);
        while (true)
        {
            JobStopReason? interrupted = null;
            lock (_lock)
            {
                if (token.IsCancellationRequested)
                    interrupted = JobStopReason.Shutdown;
                else if (handler.PauseScheduled)
                    interrupted = JobStopReason.Paused;
                else if (handler.CancelScheduled)
                    interrupted = JobStopReason.Canceled;
            }

            if (interrupted is { } reason)
            {
                await StopJobAsync(handler, reason).ConfigureAwait(false);
                if (reason == JobStopReason.Paused)
                    Leave(handler, JobState.Paused, OrthancError.Success, "");
                else if (reason == JobStopReason.Canceled)
                    Leave(handler, JobState.Failure, OrthancError.CanceledJob, "");
                return;
            }

            JobStepResult result;
            try
            {
                result = await handler.Job.StepAsync(handler.Id, token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                await StopJobAsync(handler, JobStopReason.Shutdown).ConfigureAwait(false);
                return;
            }
            catch (JobException ex)
            {
                result = JobStepResult.Failure(ex.Error, ex.Message);
            }
            catch (Exception ex)
            {
                // A bug in a job must not take the worker down: the job fails with the reason.
                LogStepCrashed(_logger, ex, handler.Id);
                result = JobStepResult.Failure(OrthancError.InternalError, ex.Message);
            }

            switch (result.Outcome)
            {
                case JobStepOutcome.Continue:
                    lock (_lock)
                    {
                        handler.TakeSnapshot();
                        handler.Touch(Now);
                        Save(handler);
                    }

                    continue;
                case JobStepOutcome.Success:
                    await StopJobAsync(handler, JobStopReason.Success).ConfigureAwait(false);
                    Leave(handler, JobState.Success, OrthancError.Success, "");
                    return;
                case JobStepOutcome.Failure:
                    await StopJobAsync(handler, JobStopReason.Failure).ConfigureAwait(false);
                    LogFailed(_logger, handler.Id, (int)result.Error, result.Details);
                    Leave(handler, JobState.Failure, result.Error, result.Details);
                    return;
                default:
                    await StopJobAsync(handler, JobStopReason.Retry).ConfigureAwait(false);
                    lock (_lock)
                    {
                        handler.TakeSnapshot();
                        handler.RetryTime = Now + result.RetryAfter;
                        ChangeState(handler, JobState.Retry);
                        _retrying.Add(handler);
                    }

                    return;
            }
        }
    }

    private async Task StopJobAsync(JobHandler handler, JobStopReason reason)
    {
        try
        {
            await handler.Job.StopAsync(reason).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            LogStepCrashed(_logger, ex, handler.Id);
        }
    }

    // The job leaves its worker for good (ended) or until resumed (paused).
    private void Leave(JobHandler handler, JobState state, OrthancError error, string details)
    {
        lock (_lock)
        {
            handler.TakeSnapshot();
            handler.Error = error;
            handler.ErrorDetails = details;
            if (state == JobState.Paused)
                ChangeState(handler, state);
            else
                Complete(handler, state);
        }

        if (state != JobState.Paused)
        {
            LogEnded(_logger, handler.Id, state);
            Signal(handler);
        }
    }

    private async Task ScheduleRetriesAsync()
    {
        var token = _stopping.Token;
        while (!token.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(IdlePoll, _clock, token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            lock (_lock)
            {
                foreach (var handler in _retrying.Where(h => h.RetryTime <= Now).ToList())
                {
                    _retrying.Remove(handler);
                    ChangeState(handler, JobState.Pending);
                    Enqueue(handler);
                }
            }
        }
    }

    // Debug, as Orthanc logs jobs only when verbose: Lua routing makes a job per instance, and a line
    // for each at hundreds a second would flood the log. Failures stay warnings.
    [LoggerMessage(2400, LogLevel.Debug, "Job {Type} submitted with priority {Priority}: {Id}")]
    private static partial void LogSubmitted(ILogger logger, string type, int priority, string id);

    [LoggerMessage(2401, LogLevel.Debug, "Running job {Type}: {Id}")]
    private static partial void LogRunning(ILogger logger, string type, string id);

    [LoggerMessage(2402, LogLevel.Debug, "Job {Id} ended: {State}")]
    private static partial void LogEnded(ILogger logger, string id, JobState state);

    [LoggerMessage(2403, LogLevel.Warning, "Job {Id} failed with error {Code}: {Details}")]
    private static partial void LogFailed(ILogger logger, string id, int code, string details);

    [LoggerMessage(2404, LogLevel.Error, "Job {Id}: a step threw")]
    private static partial void LogStepCrashed(ILogger logger, Exception exception, string id);

    [LoggerMessage(2405, LogLevel.Warning, "Skipping saved job {Id} that cannot be read: {Reason}")]
    private static partial void LogUnreadableJob(ILogger logger, string id, string reason);

    [LoggerMessage(2406, LogLevel.Warning, "Reloaded {Count} jobs saved by the last run")]
    private static partial void LogReloaded(ILogger logger, int count);
}

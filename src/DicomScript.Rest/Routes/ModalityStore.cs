using DicomScript.Server;
using DicomScript.Server.Jobs;
using Microsoft.AspNetCore.Http;

namespace DicomScript.Rest.Routes;

/// <summary>
/// <c>POST /modalities/{name}/store</c> as Orthanc 1.10.1 takes it: the resources as
/// <see cref="ExportRequest"/> reads them, options <c>{LocalAet, MoveOriginatorAet,
/// MoveOriginatorID, Timeout, Permissive, Synchronous|Asynchronous, Priority}</c>. Every instance
/// below the resources goes in one DicomModalityStore job, synchronous by default.
/// </summary>
internal static class ModalityStore
{
    public static async Task<IResult> AnswerAsync(HttpContext context, DicomScriptServer archive, string name)
    {
        try
        {
            var (resources, instances, options) = await ExportRequest.ReadAsync(context, archive, name).ConfigureAwait(false);
            var remote = ModalityRoutes.Require(archive, name);
            var target = new StoreJobTarget(remote, JobRequests.LenientString(options, "LocalAet", archive.Configuration.DicomAet))
            {
                Timeout = JobRequests.UnsignedInteger(options, "Timeout"),
            };
            if (JobRequests.LenientInteger(options, "MoveOriginatorID", 0) is var moveId and not 0)
            {
                if (moveId is < 0 or > ushort.MaxValue)
                    throw new RestRequestException(OrthancError.ParameterOutOfRange, "");
                target = target with
                {
                    MoveOriginatorAet = JobRequests.LenientString(options, "MoveOriginatorAet", archive.Configuration.DicomAet),
                    MoveOriginatorId = (ushort)moveId,
                };
            }

            var permissive = JobRequests.Boolean(options, "Permissive", false);
            var job = new DicomModalityStoreJob(archive, target, instances, resources, permissive, "REST API");
            return await JobRequests.SubmitAsync(context, archive.Jobs, job, options, synchronousByDefault: true).ConfigureAwait(false);
        }
        catch (RestRequestException ex)
        {
            return ex.Answer(context);
        }
    }
}

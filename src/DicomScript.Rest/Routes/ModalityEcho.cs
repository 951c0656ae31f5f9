using System.Text.Json.Nodes;
using DicomScript.Dicom.Data;
using DicomScript.Dicom.Dictionary;
using DicomScript.Dicom.Uids;
using DicomScript.Network;
using DicomScript.Network.Dimse;
using DicomScript.Network.Scp;
using DicomScript.Network.Scu;
using DicomScript.Server;
using DicomScript.Server.Configuration;
using Microsoft.AspNetCore.Http;

namespace DicomScript.Rest.Routes;

/// <summary>
/// C-ECHO to a modality as Orthanc 1.10.1 runs it for <c>/modalities/{name}/echo</c> and
/// <c>/tools/dicom-echo</c>: options <c>Timeout</c> (seconds) and <c>CheckFind</c> (default
/// DicomEchoChecksFind): after the echo, a C-FIND at study level for a UID nobody has, which
/// fails when the modality does not let us query it. <c>{}</c> when all went well; a bare HTTP 500
/// when the modality answers the echo with a failure; Orthanc's error bodies otherwise.
/// </summary>
internal static class ModalityEcho
{
    public static async Task<IResult> AnswerAsync(HttpContext context, DicomScriptServer archive, DicomModality modality, JsonObject? options)
    {
        try
        {
            var timeout = options is null ? null : JobRequests.UnsignedInteger(options, "Timeout");
            var client = archive.ClientFor(modality, timeout);
            if (await EchoAsync(client, modality, context.RequestAborted).ConfigureAwait(false) != DimseStatus.Success)
                return Results.StatusCode(StatusCodes.Status500InternalServerError);
            // Read after the echo, as Orthanc does: a bad CheckFind is reported only for a modality that answers.
            var checkFind = options is not null && options.ContainsKey("CheckFind")
                ? JobRequests.Boolean(options, "CheckFind", false)
                : archive.Configuration.DicomEchoChecksFind;
            if (checkFind)
                await CheckFindAsync(client, modality, context.RequestAborted).ConfigureAwait(false);
            return Results.Text("{}", "application/json");
        }
        catch (RestRequestException ex)
        {
            return ex.Answer(context);
        }
    }

    private static async Task<ushort> EchoAsync(DicomClient client, DicomModality modality, CancellationToken cancellationToken)
    {
        try
        {
            return await client.EchoAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (DicomNetworkException.IsPeerFailure(ex, cancellationToken))
        {
            throw new RestRequestException(OrthancError.NetworkProtocol, $"DicomAssociation - connecting to AET \"{modality.AET}\": {ex.Message}");
        }
    }

    private static async Task CheckFindAsync(DicomClient client, DicomModality modality, CancellationToken cancellationToken)
    {
        var identifier = new DicomDataset();
        identifier.AddString(DicomTags.QueryRetrieveLevel, DicomVR.CS, "STUDY");
        identifier.AddString(DicomTags.StudyInstanceUID, DicomVR.UI, NewUid.Generate());
        try
        {
            await foreach (var _ in client.FindAsync(SopClasses.StudyRootFind, identifier, cancellationToken).ConfigureAwait(false))
            {
                // The answers do not matter, only that the modality takes the query.
            }
        }
        catch (DicomNetworkException ex) when (ex.Reason == NetworkError.NoPresentationContext)
        {
            throw new RestRequestException(OrthancError.DicomFindUnavailable, $"Remote AET is {modality.AET}");
        }
        catch (Exception ex) when (DicomNetworkException.IsPeerFailure(ex, cancellationToken))
        {
            throw new RestRequestException(OrthancError.NetworkProtocol, $"C-FIND SCU to AET \"{modality.AET}\": {ex.Message}");
        }
    }
}

using System.Text.Json.Nodes;
using DicomScript.Dicom.Dictionary;
using DicomScript.Dicom.IO;
using DicomScript.Network;
using DicomScript.Server;
using DicomScript.Server.Configuration;
using DicomScript.Server.Remote;
using Microsoft.AspNetCore.Http;

namespace DicomScript.Rest.Routes;

/// <summary>
/// <c>POST /modalities/{name}/store-straight</c> and <c>/peers/{name}/store-straight</c>: the DICOM
/// file in the body goes to the modality (C-STORE) or peer (<c>POST /instances</c>) without being
/// stored here, as by Orthanc 1.10.1. The modality's answer is <c>{SOPClassUID, SOPInstanceUID}</c>,
/// the peer's is its own answer.
/// </summary>
internal static class StoreStraight
{
    public static async Task<IResult> ToModalityAsync(HttpContext context, DicomScriptServer archive, string name)
    {
        try
        {
            var modality = ModalityRoutes.Require(archive, name);
            var bytes = await RequestBody.ReadBytesAsync(context).ConfigureAwait(false);
            DicomFile file;
            try
            {
                file = DicomFile.Parse(bytes);
            }
            catch (DicomFormatException)
            {
                throw new RestRequestException(OrthancError.BadFileFormat, $"Cannot parse an invalid DICOM file (size: {bytes.Length} bytes)");
            }

            ushort status;
            try
            {
                status = (await archive.ClientFor(modality).StoreAsync([file], context.RequestAborted).ConfigureAwait(false))[0];
            }
            catch (Exception ex) when (DicomNetworkException.IsPeerFailure(ex, context.RequestAborted))
            {
                throw new RestRequestException(OrthancError.NetworkProtocol, $"DicomAssociation - C-STORE to AET \"{modality.AET}\": {ex.Message}");
            }

            if (StoreStatus.Failure(status, file, modality.AET) is { } failure)
                throw new RestRequestException(OrthancError.NetworkProtocol, failure);
            return OrthancResponses.Json(new JsonObject
            {
                ["SOPClassUID"] = file.Dataset.GetString(DicomTags.SOPClassUID),
                ["SOPInstanceUID"] = file.Dataset.GetString(DicomTags.SOPInstanceUID),
            });
        }
        catch (RestRequestException ex)
        {
            return ex.Answer(context);
        }
    }

    public static async Task<IResult> ToPeerAsync(HttpContext context, DicomScriptServer archive, string name, HttpClient http)
    {
        if (archive.Configuration.PeerNamed(name) is not { } peer)
            return OrthancResponses.Error(context, OrthancError.UnknownResource, $"No peer with symbolic name: {name}");
        using var request = peer.CreateRequest(HttpMethod.Post, "instances");
        request.Content = new ByteArrayContent(await RequestBody.ReadBytesAsync(context).ConfigureAwait(false));
        try
        {
            var (status, answer) = await peer.SendAsync(http, request, archive.Configuration.HttpTimeout, context.RequestAborted).ConfigureAwait(false);
            if ((int)status is >= 200 and < 300)
                return Results.Bytes(answer, "application/json");
        }
        catch (Exception ex) when (OrthancPeer.IsUnreachable(ex, context.RequestAborted))
        {
            return OrthancResponses.Error(context, OrthancError.NetworkProtocol, $"Cannot reach the peer {name} ({peer.BaseUrl}): {ex.Message}");
        }

        return OrthancResponses.Error(context, OrthancError.NetworkProtocol, $"Cannot send DICOM to remote peer: {name}");
    }
}

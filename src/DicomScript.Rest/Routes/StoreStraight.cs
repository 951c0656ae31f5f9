using System.Text.Json.Nodes;
using DicomScript.Dicom.Dictionary;
using DicomScript.Dicom.IO;
using DicomScript.Network;
using DicomScript.Server;
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
            var bytes = await ReadBytesAsync(context).ConfigureAwait(false);
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
        var bytes = await ReadBytesAsync(context).ConfigureAwait(false);
        using var request = peer.CreateRequest(HttpMethod.Post, "instances");
        request.Content = new ByteArrayContent(bytes);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        timeout.CancelAfter(peer.TimeoutOr(archive.Configuration.HttpTimeout));
        try
        {
            using var response = await http.SendAsync(request, timeout.Token).ConfigureAwait(false);
            var answer = await response.Content.ReadAsByteArrayAsync(timeout.Token).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
                return Results.Bytes(answer, "application/json");
        }
        catch (Exception ex) when (ex is HttpRequestException || ex is OperationCanceledException && !context.RequestAborted.IsCancellationRequested)
        {
            return OrthancResponses.Error(context, OrthancError.NetworkProtocol, $"Cannot reach the peer {name} ({peer.BaseUrl}): {ex.Message}");
        }

        return OrthancResponses.Error(context, OrthancError.NetworkProtocol, $"Cannot send DICOM to remote peer: {name}");
    }

    private static async Task<byte[]> ReadBytesAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted).ConfigureAwait(false);
        return buffer.ToArray();
    }
}

using DicomScript.Network.Scp;
using DicomScript.Server.Configuration;

namespace DicomScript.Server.Services;

/// <summary>
/// Orthanc's rules for who may do what over DICOM: an association is accepted when any
/// DicomAlwaysAllow* option is on or the calling AE is a known modality (and, with
/// DicomCheckModalityHost, calls from that modality's host); a service is allowed by its
/// DicomAlwaysAllow* option or by the known modality's Allow* flag. AE titles compare without case
/// unless StrictAetComparison is on.
/// </summary>
public sealed class ModalityPolicy : IAssociationPolicy
{
    private readonly OrthancConfiguration _configuration;

    public ModalityPolicy(OrthancConfiguration configuration)
    {
        _configuration = configuration ?? throw new ArgumentNullException(nameof(configuration));
    }

    public string? Check(AssociationInfo caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var anyAlwaysAllowed = _configuration.DicomAlwaysAllowEcho || _configuration.DicomAlwaysAllowStore || _configuration.DicomAlwaysAllowFind
                               || _configuration.DicomAlwaysAllowMove || _configuration.DicomAlwaysAllowGet;
        if (anyAlwaysAllowed || Known(caller).Any())
            return null;
        return _configuration.DicomCheckModalityHost
            ? $"{caller.CallingAETitle} at {caller.RemoteHost} is not a known modality"
            : $"{caller.CallingAETitle} is not a known modality";
    }

    public bool AllowService(AssociationInfo caller, DicomService service)
    {
        var alwaysAllowed = service switch
        {
            DicomService.Echo => _configuration.DicomAlwaysAllowEcho,
            DicomService.Store => _configuration.DicomAlwaysAllowStore,
            DicomService.Find => _configuration.DicomAlwaysAllowFind,
            DicomService.Move => _configuration.DicomAlwaysAllowMove,
            _ => _configuration.DicomAlwaysAllowGet,
        };
        return alwaysAllowed || Known(caller).Any(m => service switch
        {
            DicomService.Echo => m.AllowEcho,
            DicomService.Store => m.AllowStore,
            DicomService.Find => m.AllowFind,
            DicomService.Move => m.AllowMove,
            _ => m.AllowGet,
        });
    }

    private IEnumerable<DicomModality> Known(AssociationInfo caller) =>
        _configuration.ModalitiesCalling(caller.CallingAETitle, caller.RemoteHost);
}

using DicomScript.Dicom.Uids;
using DicomScript.Network.Association;
using DicomScript.Network.Pdu;

namespace DicomScript.Network.Scp;

/// <summary>
/// The acceptor's policy: which proposed presentation contexts to accept (by the services that have a
/// handler) with which transfer syntax, which roles, and whether to accept the association at all.
/// </summary>
public sealed class PresentationContextNegotiator
{
    private static readonly string[] Uncompressed =
    [
        DicomUids.LittleEndianExplicitTransferSyntax, DicomUids.LittleEndianImplicitTransferSyntax, DicomUids.BigEndianExplicitTransferSyntax,
    ];

    private readonly DicomServerOptions _options;
    private readonly HandlerSet _handlers;
    private readonly HashSet<string> _storageSyntaxes;

    public PresentationContextNegotiator(DicomServerOptions options, HandlerSet handlers)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _handlers = handlers;
        _storageSyntaxes = [.. options.StorageTransferSyntaxes ?? DicomUids.All.Where(u => u.Kind == DicomUidKind.TransferSyntax).Select(u => u.Uid)];
    }

    public AssociationDecision Negotiate(AAssociateRq request, AssociationInfo caller, int activeAssociations)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.ApplicationContext != AAssociateRq.DicomApplicationContext)
            return Reject(RejectResult.Permanent, RejectReasons.ApplicationContextNotSupported, $"application context {request.ApplicationContext}");
        if (_options.CheckCalledAETitle && request.CalledAETitle != _options.AETitle)
            return Reject(RejectResult.Permanent, RejectReasons.CalledAETitleNotRecognized, $"called AE title '{request.CalledAETitle}' is not '{_options.AETitle}'");
        if (_handlers.Policy?.Check(caller) is { } refused)
            return Reject(RejectResult.Permanent, RejectReasons.CallingAETitleNotRecognized, refused);
        if (activeAssociations >= _options.MaxAssociations)
        {
            return AssociationDecision.Rejected(new AAssociateRj(RejectResult.Transient, RejectSource.ServiceProviderPresentation, RejectReasons.LocalLimitExceeded),
                $"already {activeAssociations} associations (limit {_options.MaxAssociations})");
        }

        var contexts = request.PresentationContexts.Select(pc => Answer(pc, caller)).ToList();
        var roles = request.UserInformation.RoleSelections
            .Where(r => IsStorage(r.SopClassUid) && _handlers.Get is not null)
            .Select(r => new RoleSelection(r.SopClassUid, r.ScuRole, r.ScpRole))
            .ToList();
        var accept = new AAssociateAc(request.CalledAETitle, request.CallingAETitle, contexts, new UserInformation
        {
            MaxPduLength = _options.Association.MaxPduLength,
            ImplementationClassUid = _options.Association.ImplementationClassUid,
            ImplementationVersionName = _options.Association.ImplementationVersionName,
            RoleSelections = roles,
            // One operation at a time: we answer a proposed window with 1/1.
            AsyncOperationsWindow = request.UserInformation.AsyncOperationsWindow is null ? null : ((ushort)1, (ushort)1),
        });
        return AssociationDecision.Accepted(accept);

        static AssociationDecision Reject(RejectResult result, byte reason, string why) =>
            AssociationDecision.Rejected(new AAssociateRj(result, RejectSource.ServiceUser, reason), why);
    }

    private PresentationContextAc Answer(PresentationContextRq proposed, AssociationInfo caller)
    {
        var syntax = proposed.AbstractSyntax;
        if (syntax == SopClasses.Verification && _handlers.Echo is not null && Allowed(caller, DicomService.Echo)
            || SopClasses.Find.Contains(syntax) && _handlers.Find is not null && Allowed(caller, DicomService.Find)
            || SopClasses.Move.Contains(syntax) && _handlers.Move is not null && Allowed(caller, DicomService.Move)
            || SopClasses.Get.Contains(syntax) && _handlers.Get is not null && Allowed(caller, DicomService.Get))
        {
            return Accept(proposed, proposed.TransferSyntaxes.FirstOrDefault(Uncompressed.Contains));
        }

        if (IsStorage(syntax) && (_handlers.Store is not null && Allowed(caller, DicomService.Store) || _handlers.Get is not null && Allowed(caller, DicomService.Get)))
        {
            // Stored as received: the first proposed syntax we know is taken, compressed ones
            // included, except that Big Endian (retired) comes last. storescu proposes an
            // implicit-VR file's class as [LE explicit] and [BE explicit, LE implicit]: taking
            // LE implicit, as Orthanc 1.10.1 does, lets it send the file as it is instead of
            // converting it.
            return Accept(proposed, proposed.TransferSyntaxes.Where(_storageSyntaxes.Contains).OrderBy(IsBigEndian).FirstOrDefault());
        }

        return new PresentationContextAc(proposed.Id, PresentationContextResult.AbstractSyntaxNotSupported, FirstOrEmpty(proposed.TransferSyntaxes));
    }

    private static PresentationContextAc Accept(PresentationContextRq proposed, string? chosen) => chosen is null
        ? new PresentationContextAc(proposed.Id, PresentationContextResult.TransferSyntaxesNotSupported, FirstOrEmpty(proposed.TransferSyntaxes))
        : new PresentationContextAc(proposed.Id, PresentationContextResult.Acceptance, chosen);

    private static bool IsBigEndian(string transferSyntax) => transferSyntax == DicomUids.BigEndianExplicitTransferSyntax;

    private bool Allowed(AssociationInfo caller, DicomService service) => _handlers.Policy?.AllowService(caller, service) ?? true;

    private bool IsStorage(string uid) =>
        DicomUids.IsStorageSopClass(uid) || _options.AcceptUnknownSopClasses && !SopClasses.IsKnownNonStorage(uid);

    private static string FirstOrEmpty(IReadOnlyList<string> syntaxes) => syntaxes.Count > 0 ? syntaxes[0] : "";
}

/// <summary>The handlers a server has; a service without a handler is not offered.</summary>
public sealed record HandlerSet(
    ICEchoHandler? Echo = null,
    ICStoreHandler? Store = null,
    ICFindHandler? Find = null,
    ICMoveHandler? Move = null,
    ICGetHandler? Get = null,
    IAssociationPolicy? Policy = null);

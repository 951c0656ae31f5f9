using DicomScript.Dicom.Data;
using DicomScript.Dicom.IO;
using DicomScript.Dicom.Uids;
using DicomScript.Network.Association;
using DicomScript.Network.Pdu;

namespace DicomScript.Network.Scu;

/// <summary>
/// Proposing and choosing presentation contexts for C-STORE: per SOP class, one context for each
/// compressed syntax the instances have (they cannot be converted), and one with the uncompressed
/// syntaxes (explicit LE first) that any native instance can be converted to.
/// </summary>
public static class StoreContexts
{
    public static readonly string[] UncompressedPreference =
    [
        DicomUids.LittleEndianExplicitTransferSyntax, DicomUids.LittleEndianImplicitTransferSyntax, DicomUids.BigEndianExplicitTransferSyntax,
    ];

    /// <summary>The contexts to propose for instances of the given (SOP class, transfer syntax) pairs; ids 1, 3, 5...</summary>
    public static List<PresentationContextRq> Propose(IEnumerable<(string SopClassUid, string TransferSyntaxUid)> instances)
    {
        var contexts = new List<PresentationContextRq>();
        foreach (var bySopClass in instances.Distinct().GroupBy(i => i.SopClassUid))
        {
            foreach (var compressed in bySopClass.Select(i => i.TransferSyntaxUid).Distinct().Where(ts => DicomTransferSyntax.FromUid(ts).IsEncapsulated))
                contexts.Add(new PresentationContextRq(NextId(contexts), bySopClass.Key, [compressed]));
            if (bySopClass.Any(i => !DicomTransferSyntax.FromUid(i.TransferSyntaxUid).IsEncapsulated))
            {
                var own = bySopClass.Select(i => i.TransferSyntaxUid).Where(ts => !DicomTransferSyntax.FromUid(ts).IsEncapsulated);
                contexts.Add(new PresentationContextRq(NextId(contexts), bySopClass.Key, [.. own.Concat(UncompressedPreference).Distinct()]));
            }
        }

        if (contexts.Count > 128)
            throw new ArgumentException($"{contexts.Count} presentation contexts needed; an association holds at most 128");
        return contexts;
    }

    private static byte NextId(List<PresentationContextRq> contexts) => (byte)(contexts.Count * 2 + 1);

    /// <summary>
    /// The accepted context to send <paramref name="file"/> on and the syntax to encode it in: its own
    /// when accepted, else (for native pixel data) an accepted uncompressed one; null when none fits.
    /// </summary>
    public static AcceptedContext? Choose(DicomAssociation association, DicomFile file, string sopClassUid)
    {
        ArgumentNullException.ThrowIfNull(association);
        ArgumentNullException.ThrowIfNull(file);
        var own = association.Contexts.Values.FirstOrDefault(c => c.AbstractSyntax == sopClassUid && c.TransferSyntax.Uid == file.TransferSyntax.Uid);
        if (own is not null || file.TransferSyntax.IsEncapsulated)
            return own;
        return association.FindContext(sopClassUid, UncompressedPreference) is { TransferSyntax.IsEncapsulated: false } converted ? converted : null;
    }
}

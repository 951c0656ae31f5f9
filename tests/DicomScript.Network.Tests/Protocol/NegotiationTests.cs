using DicomScript.Network.Pdu;
using DicomScript.Network.Scp;
using DicomScript.Network.Tests.Support;
using NUnit.Framework;

namespace DicomScript.Network.Tests.Protocol;

/// <summary>Which transfer syntax the SCP takes from each proposed presentation context.</summary>
[TestFixture]
public class NegotiationTests
{
    private const string CtImageStorage = "1.2.840.10008.5.1.4.1.1.2";
    private const string StudyRootFind = "1.2.840.10008.5.1.4.1.2.2.1";
    private const string ImplicitLittle = "1.2.840.10008.1.2";
    private const string ExplicitLittle = "1.2.840.10008.1.2.1";
    private const string ExplicitBig = "1.2.840.10008.1.2.2";
    private const string JpegBaseline = "1.2.840.10008.1.2.4.50";

    private sealed class StoreNothing : ICStoreHandler, ICFindHandler
    {
        public Task<ushort> StoreAsync(CStoreRequest request, CancellationToken cancellationToken) => Task.FromResult((ushort)0);

        public IAsyncEnumerable<Dicom.Data.DicomDataset> FindAsync(QueryRequest request, CancellationToken cancellationToken) =>
            throw new NotSupportedException();
    }

    private static PresentationContextAc Negotiate(string abstractSyntax, params string[] proposed)
    {
        var handler = new StoreNothing();
        var negotiator = new PresentationContextNegotiator(new DicomServerOptions(), new HandlerSet(Store: handler, Find: handler));
        var decision = negotiator.Negotiate(FakePeer.Request("ORTHANC", new PresentationContextRq(1, abstractSyntax, proposed)),
            new AssociationInfo("SCU", "ORTHANC", "127.0.0.1", 1000), activeAssociations: 0);
        return decision.Accept!.PresentationContexts.Single();
    }

    [Test]
    public void Storage_FirstProposedSyntaxTaken_CompressedIncluded()
    {
        Assert.That(Negotiate(CtImageStorage, JpegBaseline, ExplicitLittle).TransferSyntax, Is.EqualTo(JpegBaseline));
        Assert.That(Negotiate(CtImageStorage, ImplicitLittle, ExplicitLittle).TransferSyntax, Is.EqualTo(ImplicitLittle));
    }

    [Test]
    public void Storage_BigEndianProposedFirst_LittleEndianTakenAsOrthanc1101()
    {
        // storescu's second context for an implicit-VR file: [BE explicit, LE implicit].
        Assert.That(Negotiate(CtImageStorage, ExplicitBig, ImplicitLittle).TransferSyntax, Is.EqualTo(ImplicitLittle));
        Assert.That(Negotiate(CtImageStorage, ExplicitBig, JpegBaseline).TransferSyntax, Is.EqualTo(JpegBaseline));
    }

    [Test]
    public void Storage_OnlyBigEndian_Accepted()
    {
        var answer = Negotiate(CtImageStorage, ExplicitBig);
        Assert.That((answer.Result, answer.TransferSyntax), Is.EqualTo((PresentationContextResult.Acceptance, ExplicitBig)));
    }

    [Test]
    public void Query_CompressedOnly_TransferSyntaxesNotSupported()
    {
        Assert.That(Negotiate(StudyRootFind, JpegBaseline).Result, Is.EqualTo(PresentationContextResult.TransferSyntaxesNotSupported));
        Assert.That(Negotiate(StudyRootFind, JpegBaseline, ImplicitLittle).TransferSyntax, Is.EqualTo(ImplicitLittle));
    }
}

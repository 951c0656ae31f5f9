using DicomScript.Dicom.Data;
using DicomScript.Dicom.Dictionary;
using DicomScript.Dicom.IO;
using DicomScript.Dicom.Tests.Support;
using DicomScript.Network.Dimse;
using DicomScript.Network.Pdu;
using DicomScript.Network.Tests.Support;
using NUnit.Framework;

namespace DicomScript.Network.Tests.Protocol;

/// <summary>
/// Requests are answered one at a time, in the order they came, although a C-STORE or C-ECHO that
/// finds nothing in progress is handled on the reader's thread: one that arrives while a C-FIND runs
/// waits for the C-FIND's last answer.
/// </summary>
[TestFixture]
public class RequestOrderTests
{
    private const string StudyRootFind = "1.2.840.10008.5.1.4.1.2.2.1";
    private const string CtImageStorage = "1.2.840.10008.5.1.4.1.1.2";
    private const string Verification = "1.2.840.10008.1.1";
    private const string ImplicitLittleEndian = "1.2.840.10008.1.2";

    private static byte[] Encode(DicomDataset dataset)
    {
        using var stream = new MemoryStream();
        DicomWriter.WriteDataset(stream, dataset, DicomTransferSyntax.ImplicitVRLittleEndian);
        return stream.ToArray();
    }

    private static PDataTf Command(byte context, DicomDataset command) => new([new Pdv(context, true, true, DimseCommands.Encode(command))]);

    private static PDataTf Data(byte context, byte[] bytes) => new([new Pdv(context, false, true, bytes)]);

    // The DIMSE responses in the order they arrive, as (command field, message ID answered, status), up to the one answering lastMessageId.
    private static async Task<List<(CommandField Field, ushort RespondedTo, ushort Status)>> ResponsesUntilAsync(FakePeer peer, ushort lastMessageId)
    {
        var responses = new List<(CommandField, ushort, ushort)>();
        var command = new MemoryStream();
        while (true)
        {
            var pdu = await peer.ReadAsync() as PDataTf ?? throw new AssertionException("the association ended before every answer");
            foreach (var pdv in pdu.Pdvs.Where(p => p.IsCommand))
            {
                command.Write(pdv.Data.Span);
                if (!pdv.IsLast)
                    continue;
                var decoded = DimseCommands.Decode(command.ToArray());
                command.SetLength(0);
                var respondedTo = DimseCommands.GetUInt16(decoded, DicomTags.MessageIDBeingRespondedTo);
                var status = DimseCommands.GetUInt16(decoded, DicomTags.Status);
                responses.Add((DimseCommands.Field(decoded), respondedTo, status));
                if (respondedTo == lastMessageId && !DimseStatus.IsPending(status))
                    return responses;
            }
        }
    }

    [Test]
    public async Task StoreAndEchoSentDuringAFind_AnsweredAfterTheFindsLastAnswer()
    {
        PydicomCorpus.Require();
        await using var server = new TestServer();
        server.Archive.AddRange(new[] { "test_files/CT_small.dcm", "test_files/MR_small.dcm" }.Select(f => DicomFile.Open(PydicomCorpus.FullPath(f))));
        server.FindDelay = TimeSpan.FromMilliseconds(150);
        var stored = DicomFile.Open(PydicomCorpus.FullPath("test_files/CT_small.dcm")).Dataset;

        using var peer = await FakePeer.ConnectAsync(server.Port);
        await peer.SendAsync(FakePeer.Request(TestServer.AETitle,
            new PresentationContextRq(1, StudyRootFind, [ImplicitLittleEndian]),
            new PresentationContextRq(3, CtImageStorage, [ImplicitLittleEndian]),
            new PresentationContextRq(5, Verification, [ImplicitLittleEndian])));
        Assert.That(await peer.ReadAsync(), Is.InstanceOf<AAssociateAc>());

        var identifier = new DicomDataset().AddString(DicomTags.QueryRetrieveLevel, DicomVR.CS, "STUDY").AddString(DicomTags.StudyInstanceUID, DicomVR.UI, "");
        await peer.SendAsync(Command(1, DimseCommands.Request(CommandField.CFindRq, 1, StudyRootFind, hasDataSet: true).AddUInt16(DicomTags.MessageID, 1)));
        await peer.SendAsync(Data(1, Encode(identifier)));
        await peer.SendAsync(Command(3, DimseCommands.Request(CommandField.CStoreRq, 2, CtImageStorage, hasDataSet: true)
            .AddUInt16(DicomTags.MessageID, 2)
            .AddString(DicomTags.AffectedSOPInstanceUID, DicomVR.UI, stored.GetString(DicomTags.SOPInstanceUID)!)));
        await peer.SendAsync(Data(3, Encode(stored)));
        await peer.SendAsync(Command(5, DimseCommands.Request(CommandField.CEchoRq, 3, Verification, hasDataSet: false).AddUInt16(DicomTags.MessageID, 3)));

        var responses = await ResponsesUntilAsync(peer, 3);
        Assert.That(responses, Is.EqualTo(new[]
        {
            (CommandField.CFindRsp, (ushort)1, DimseStatus.Pending),
            (CommandField.CFindRsp, (ushort)1, DimseStatus.Pending),
            (CommandField.CFindRsp, (ushort)1, DimseStatus.Success),
            (CommandField.CStoreRsp, (ushort)2, DimseStatus.Success),
            (CommandField.CEchoRsp, (ushort)3, DimseStatus.Success),
        }));
        Assert.That(server.Stored.Keys, Is.EquivalentTo(new[] { stored.GetString(DicomTags.SOPInstanceUID) }));
    }
}

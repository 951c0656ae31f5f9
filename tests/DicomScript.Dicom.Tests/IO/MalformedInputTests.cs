using DicomScript.Dicom.Data;
using DicomScript.Dicom.Display;
using DicomScript.Dicom.IO;
using DicomScript.Dicom.Json;
using DicomScript.Dicom.Tests.Support;
using NUnit.Framework;

namespace DicomScript.Dicom.Tests.IO;

/// <summary>
/// Fuzz-style checks over the corpus: copies truncated, with bytes flipped, and with element lengths
/// set huge must each either parse or fail with <see cref="DicomFormatException"/>: no other
/// exception, no hang, and no allocation far beyond the file's size.
/// </summary>
[TestFixture]
public class MalformedInputTests
{
    private const int CopiesPerKind = 8;

    public static IEnumerable<string> Files() => Corpus.CorpusReadTests.ValidFiles();

    [TestCaseSource(nameof(Files))]
    public void Parse_MutatedCopies_ParseOrFormatError(string file)
    {
        PydicomCorpus.Require();
        var original = File.ReadAllBytes(PydicomCorpus.FullPath(file));
        var random = new Random(file.GetHashCode(StringComparison.Ordinal) ^ 0x5eed); // fixed per file: failures reproduce
        var lengthFields = LengthFieldOffsets(original);

        var copies = new List<(string Kind, byte[] Bytes)>();
        for (var i = 0; i < CopiesPerKind; i++)
        {
            copies.Add(($"truncated", original[..random.Next(original.Length)]));
            copies.Add(($"flipped", Flip(original, random)));
            if (lengthFields.Count > 0)
                copies.Add(($"huge length", HugeLength(original, lengthFields[random.Next(lengthFields.Count)], random)));
        }

        var task = Task.Run(() =>
        {
            var failures = new List<string>();
            foreach (var (kind, bytes) in copies)
            {
                var before = GC.GetAllocatedBytesForCurrentThread();
                try
                {
                    var parsed = DicomFile.Parse(bytes);
                    // Decode every value too: lazily decoded values must not throw either.
                    _ = OrthancJsonWriter.ToUtf8(parsed.Dataset, OrthancTagFormat.Full);
                    _ = DicomDumper.Dump(parsed);
                    _ = DicomJsonModelWriter.ToJson(parsed.Dataset);
                }
                catch (DicomFormatException)
                {
                    // the expected way to refuse bad bytes
                }
                catch (Exception ex)
                {
                    failures.Add($"{kind} ({bytes.Length} bytes): {ex.GetType().Name}: {ex.Message}");
                    SaveForRegression(file, kind, bytes);
                }

                var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
                var bound = 64L * bytes.Length + (4 << 20);
                if (allocated > bound)
                    failures.Add($"{kind} ({bytes.Length} bytes): allocated {allocated} bytes, bound {bound}");
            }

            return failures;
        });

        Assert.That(task.Wait(TimeSpan.FromSeconds(60)), Is.True, $"{file}: parsing the mutated copies did not finish (hang?)");
        Assert.That(task.Result, Is.Empty);
    }

    private static byte[] Flip(byte[] original, Random random)
    {
        var copy = (byte[])original.Clone();
        var count = random.Next(1, 9);
        for (var i = 0; i < count; i++)
            copy[random.Next(copy.Length)] = (byte)random.Next(256);
        return copy;
    }

    // Overwrites the length field of an element with a huge or slightly-too-large value.
    private static byte[] HugeLength(byte[] original, (int Offset, int Size) field, Random random)
    {
        var copy = (byte[])original.Clone();
        var value = random.Next(3) switch
        {
            0 => 0xFFFFFFF0u,
            1 => 0x7FFFFFFFu,
            _ => (uint)(original.Length - field.Offset + random.Next(1, 64)),
        };
        if (field.Size == 2)
            BitConverter.GetBytes((ushort)Math.Min(value, ushort.MaxValue)).CopyTo(copy, field.Offset);
        else
            BitConverter.GetBytes(value).CopyTo(copy, field.Offset);
        return copy;
    }

    // Where the length fields of the (little-endian, not deflated) file's elements are.
    private static List<(int Offset, int Size)> LengthFieldOffsets(byte[] bytes)
    {
        var file = DicomFile.Parse(bytes);
        if (file.TransferSyntax.IsDeflated || file.TransferSyntax.IsBigEndian)
            return [];
        var recorder = new OffsetRecorder();
        var parser = new DicomParser(bytes, true, 0, DicomReadOptions.Default, recorder);
        try
        {
            parser.ParseDataset(file.HasPreamble ? 132 : 0, explicitVR: true, bigEndian: false);
        }
        catch (DicomFormatException)
        {
            // the meta group alone is enough to aim at
        }

        return [.. recorder.Offsets.Where(o => o + 12 <= bytes.Length).Select(o =>
        {
            var vr = DicomVR.FromBytes(bytes[o + 4], bytes[o + 5]);
            return vr.IsKnown ? (vr.HasLongLength ? (o + 8, 4) : (o + 6, 2)) : (o + 4, 4);
        })];
    }

    private static void SaveForRegression(string file, string kind, byte[] bytes)
    {
        var folder = Path.Combine(Path.GetTempPath(), "dicomscript-fuzz-failures");
        Directory.CreateDirectory(folder);
        File.WriteAllBytes(Path.Combine(folder, $"{Path.GetFileName(file)}.{kind.Replace(' ', '-')}.{bytes.Length}.dcm"), bytes);
    }

    private sealed class OffsetRecorder : IDicomReaderObserver
    {
        public List<int> Offsets { get; } = [];

        public void OnElement(DicomTag tag, DicomVR vr, ReadOnlyMemory<byte> value, bool isBigEndian, long offset) => Offsets.Add((int)offset);

        public void OnBeginSequence(DicomTag tag, DicomVR vr)
        {
        }

        public void OnBeginItem()
        {
        }

        public void OnEndItem()
        {
        }

        public void OnEndSequence()
        {
        }

        public void OnBeginFragments(DicomTag tag, DicomVR vr, long offset) => Offsets.Add((int)offset);

        public void OnFragment(ReadOnlyMemory<byte> fragment)
        {
        }

        public void OnEndFragments()
        {
        }
    }
}

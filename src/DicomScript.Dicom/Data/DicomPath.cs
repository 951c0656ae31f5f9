using System.Globalization;
using DicomScript.Dicom.Dictionary;

namespace DicomScript.Dicom.Data;

/// <summary>One step down into a sequence: its tag and the item's index (0-based), or every item.</summary>
public readonly record struct DicomPathStep(DicomTag Sequence, int? Index)
{
    public bool IsUniversal => Index is null;
}

/// <summary>
/// A path to an attribute, possibly inside sequences, written as dcmodify writes it:
/// <c>ReferencedImageSequence[0].ReferencedSOPInstanceUID</c>, <c>(0008,1140)[*].0008,1155</c>.
/// Tags are keywords, <c>gggg,eeee</c>, <c>gggg-eeee</c>, <c>ggggeeee</c> or any of them in
/// parentheses; <c>[*]</c> stands for every item.
/// </summary>
public sealed class DicomPath
{
    public DicomPath(DicomTag finalTag, IReadOnlyList<DicomPathStep>? prefix = null)
    {
        FinalTag = finalTag;
        Prefix = prefix ?? [];
    }

    public IReadOnlyList<DicomPathStep> Prefix { get; }

    public DicomTag FinalTag { get; }

    /// <summary>Parses a path; <see cref="DicomPathException"/> names what is wrong.</summary>
    public static DicomPath Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var tokens = text.Split('.');
        var prefix = new List<DicomPathStep>(tokens.Length - 1);
        foreach (var token in tokens[..^1])
        {
            var open = token.IndexOf('[', StringComparison.Ordinal);
            if (open < 0)
                throw new DicomPathException(false, "Parent path doesn't contain an index");
            var left = token[..open].Trim();
            var right = token[(open + 1)..].Trim();
            if (left.Length == 0)
                throw new DicomPathException(false, "Parent path doesn't contain a tag");
            if (right.Length == 0 || right[^1] != ']')
                throw new DicomPathException(false, "Parent path doesn't contain the end of the index");
            var sequence = ParseTag(left);
            var index = right[..^1].Trim();
            if (index == "*")
                prefix.Add(new DicomPathStep(sequence, null));
            else if (!int.TryParse(index, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var i))
                throw new DicomPathException(false, "Not a valid index in parent path: [" + right);
            else if (i < 0)
                throw new DicomPathException(false, "Negative index in parent path: " + index);
            else
                prefix.Add(new DicomPathStep(sequence, i));
        }

        return new DicomPath(ParseTag(tokens[^1].Trim()), prefix);
    }

    /// <summary>A tag by keyword or number (see the class summary); unknown ones throw.</summary>
    public static DicomTag ParseTag(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        if (token.Length >= 2 && token[0] == '(' && token[^1] == ')')
        {
            return TryParseNumber(token[1..^1], out var inParentheses)
                ? inParentheses
                : throw new DicomPathException(true, "Cannot parse tag: " + token);
        }

        if (TryParseNumber(token, out var tag) || DicomDictionary.TryFindTag(token, out tag))
            return tag;
        throw new DicomPathException(true, "");
    }

    // dcmtk's hexadecimal forms: gggg,eeee  gggg-eeee  ggggeeee.
    private static bool TryParseNumber(string text, out DicomTag tag)
    {
        tag = default;
        var hex = text.Length switch
        {
            9 when text[4] is ',' or '-' => string.Concat(text.AsSpan(0, 4), text.AsSpan(5)),
            8 => text,
            _ => null,
        };
        return hex is not null && hex.All(char.IsAsciiHexDigit) && DicomTag.TryParse(hex, out tag);
    }

    /// <summary>
    /// Whether an attribute reached through <paramref name="parents"/> (sequence tag and item
    /// index at each level) is this path, or lies inside what this path names.
    /// </summary>
    public bool Matches(IReadOnlyList<(DicomTag Sequence, int Index)> parents, DicomTag tag)
    {
        ArgumentNullException.ThrowIfNull(parents);
        if (parents.Count < Prefix.Count)
            return false;
        for (var i = 0; i < Prefix.Count; i++)
        {
            if (parents[i].Sequence != Prefix[i].Sequence || (Prefix[i].Index is { } index && parents[i].Index != index))
                return false;
        }

        return parents.Count == Prefix.Count ? tag == FinalTag : parents[Prefix.Count].Sequence == FinalTag;
    }

    /// <summary>The datasets the prefix leads to (the root itself for a plain tag), where the final tag is acted on.</summary>
    public IEnumerable<DicomDataset> Holders(DicomDataset root)
    {
        ArgumentNullException.ThrowIfNull(root);
        IEnumerable<DicomDataset> level = [root];
        foreach (var step in Prefix)
        {
            level = level.SelectMany(dataset => dataset.GetSequence(step.Sequence) is { } sequence
                ? sequence.Items.Where((_, i) => step.Index is null || step.Index == i)
                : []).ToList();
        }

        return level;
    }

    /// <summary>Orthanc's form: <c>(0008,1140)[0].(0008,1155)</c>.</summary>
    public override string ToString() =>
        string.Concat(Prefix.Select(step => $"({Lower(step.Sequence)})[{(step.Index is { } i ? i.ToString(CultureInfo.InvariantCulture) : "*")}]."))
        + $"({Lower(FinalTag)})";

    private static string Lower(DicomTag tag) => tag.ToString().ToLowerInvariant();
}

/// <summary>A path or tag that cannot be parsed: an unknown tag, or a malformed sequence step.</summary>
public sealed class DicomPathException(bool unknownTag, string message) : FormatException(message)
{
    /// <summary>True when a tag name is unknown (Orthanc's UnknownDicomTag), false for a malformed path.</summary>
    public bool IsUnknownTag { get; } = unknownTag;
}

using System.Globalization;
using DicomScript.Dicom.Data;

namespace DicomScript.Dicom.Tests.Support;

/// <summary>Compares our element listing of a file with dcmdump's, element by element.</summary>
public static class DcmdumpComparison
{
    /// <summary>The differences (at most about 20), empty when both readers agree.</summary>
    public static List<string> Differences(List<OurListing.Element> ours, IReadOnlyList<DumpedElement> theirs)
    {
        var mismatches = new List<string>();
        for (var i = 0; i < Math.Max(ours.Count, theirs.Count); i++)
        {
            if (i >= ours.Count)
            {
                mismatches.Add($"missing in ours: {theirs[i]}");
                continue;
            }

            if (i >= theirs.Count)
            {
                mismatches.Add($"extra in ours: {ours[i].Item}");
                continue;
            }

            var difference = Compare(ours[i], theirs[i]);
            if (difference is not null)
                mismatches.Add(difference);
            if (mismatches.Count > 20)
                break;
        }

        return mismatches;
    }

    private static string? Compare(OurListing.Element ours, DumpedElement theirs)
    {
        var item = ours.Item;
        var where = $"{item.Tag.ToDcmtkString()} at depth {ours.Depth}";
        if (item.Tag.ToString() != theirs.Tag || ours.Depth != theirs.Depth)
            return $"order: ours {item.Tag.ToDcmtkString()} depth {ours.Depth}, dcmdump {theirs}";
        if (item.VR.Code != theirs.VR)
            return $"{where}: VR ours {item.VR}, dcmdump {theirs.VR}";
        if (item is not DicomElement element)
            return null;

        // +U8 converts text to UTF-8, so the lengths of charset-dependent text differ; its value is compared.
        // dcmtk pads an odd-length value by one byte when it loads it.
        var lengthMatches = element.Length == theirs.Length || element.Length % 2 == 1 && element.Length + 1 == theirs.Length;
        if (theirs.Length >= 0 && !lengthMatches && !element.VR.IsCharacterSetSensitive)
            return $"{where}: length ours {element.Length}, dcmdump {theirs.Length}";
        if (element.VR.IsBulk || theirs.Value is null)
            return null; // bulk data: the length is the comparison (values are compared by the round-trip tests)

        var theirValue = theirs.Value == "(no value available)" ? "" : theirs.Value;
        var characterSet = ours.Owner.CharacterSet;
        if (element.VR.IsString)
        {
            var ourText = DicomDataset.DecodeText(element, characterSet);
            var theirText = theirValue.StartsWith('[') && theirValue.EndsWith(']') ? theirValue[1..^1] : theirValue;
            if (element.VR.IsCharacterSetSensitive && (!theirs.TextIsUnicode || theirText.Contains('\uFFFD', StringComparison.Ordinal)))
                return null; // dcmdump could not convert this text (ISO 2022 in iconv, or raw bytes): the charset tests check it against pydicom
            // We treat trailing NULs in text as padding (real writers pad with them); dcmtk shows them.
            theirText = theirText.TrimEnd('\0');
            return ourText == theirText ? null : $"{where} {element.VR}: ours [{ourText}], dcmdump [{theirText}]";
        }

        var ourValues = DicomDataset.DecodeValues(element, characterSet);
        var theirValues = theirValue.Length == 0 ? [] : theirValue.Split('\\');
        if (element.VR == DicomVR.AT)
            theirValues = [.. theirValues.Select(v => v.Trim('(', ')'))];
        if (ourValues.Length != theirValues.Length)
            return $"{where}: {ourValues.Length} values ours, {theirValues.Length} dcmdump";
        for (var v = 0; v < ourValues.Length; v++)
        {
            if (!SameNumber(ourValues[v], theirValues[v], element.VR))
                return $"{where} {element.VR}: value {v} ours {ourValues[v]}, dcmdump {theirValues[v]}";
        }

        return null;
    }

    private static bool SameNumber(string ours, string theirs, DicomVR vr)
    {
        if (vr != DicomVR.FL && vr != DicomVR.FD)
            return ours == theirs;
        if (!double.TryParse(ours, NumberStyles.Float, CultureInfo.InvariantCulture, out var a)
            || !double.TryParse(theirs, NumberStyles.Float, CultureInfo.InvariantCulture, out var b))
            return ours == theirs;
        if (double.IsNaN(a) || double.IsNaN(b))
            return double.IsNaN(a) && double.IsNaN(b);
        if (vr == DicomVR.FL)
            return (float)a == (float)b; // both are printings of the same single-precision value
        return a == b || Math.Abs(a - b) <= 1e-15 * Math.Max(Math.Abs(a), Math.Abs(b));
    }
}

namespace DicomScript.Rest;

/// <summary>The shape of Orthanc's resource IDs (five groups of 8 characters joined by dashes), checked as Orthanc checks it.</summary>
internal static class OrthancIds
{
    public static bool IsWellFormed(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var id = text.Trim().Trim('\0');
        if (id.Length != 44)
            return false;
        for (var i = 0; i < id.Length; i++)
        {
            var wanted = i is 8 or 17 or 26 or 35;
            if (wanted ? id[i] != '-' : !char.IsAsciiLetterOrDigit(id[i]))
                return false;
        }

        return true;
    }
}

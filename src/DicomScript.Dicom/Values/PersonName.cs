namespace DicomScript.Dicom.Values;

/// <summary>
/// A PN value: up to three component groups (alphabetic, ideographic, phonetic; separated by '='),
/// each of up to five components (family, given, middle, prefix, suffix; separated by '^').
/// </summary>
public sealed record PersonName(PersonNameGroup Alphabetic, PersonNameGroup Ideographic, PersonNameGroup Phonetic)
{
    /// <summary>Parses one PN value (not a multi-valued string: split those at '\' first).</summary>
    public static PersonName Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var groups = value.TrimEnd(' ').Split('=');
        PersonNameGroup Group(int i) => i < groups.Length ? PersonNameGroup.Parse(groups[i]) : PersonNameGroup.Empty;
        return new PersonName(Group(0), Group(1), Group(2));
    }

    /// <summary>The DICOM encoding, without trailing empty components or groups.</summary>
    public override string ToString()
    {
        var groups = new[] { Alphabetic.ToString(), Ideographic.ToString(), Phonetic.ToString() };
        var count = groups.Length;
        while (count > 1 && groups[count - 1].Length == 0)
            count--;
        return string.Join('=', groups, 0, count);
    }
}

/// <summary>One component group of a person name.</summary>
public sealed record PersonNameGroup(string FamilyName, string GivenName, string MiddleName, string Prefix, string Suffix)
{
    public static PersonNameGroup Empty { get; } = new("", "", "", "", "");

    public bool IsEmpty => this == Empty;

    public static PersonNameGroup Parse(string group)
    {
        ArgumentNullException.ThrowIfNull(group);
        var parts = group.Split('^');
        string Part(int i) => i < parts.Length ? parts[i].Trim(' ') : "";
        return new PersonNameGroup(Part(0), Part(1), Part(2), Part(3), Part(4));
    }

    public override string ToString()
    {
        var parts = new[] { FamilyName, GivenName, MiddleName, Prefix, Suffix };
        var count = parts.Length;
        while (count > 0 && parts[count - 1].Length == 0)
            count--;
        return string.Join('^', parts, 0, count);
    }
}

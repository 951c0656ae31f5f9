using System.Text;
using System.Text.RegularExpressions;
using DicomScript.Dicom.Data;
using DicomScript.Storage.Index;

namespace DicomScript.Storage.Search;

/// <summary>How a constraint compares a stored value with the query (DICOM PS3.4 C.2.2.2).</summary>
public enum ConstraintKind
{
    /// <summary>Single value matching.</summary>
    Equal,

    /// <summary>The upper half of a range ("-20200131").</summary>
    SmallerOrEqual,

    /// <summary>The lower half of a range ("20200101-").</summary>
    GreaterOrEqual,

    /// <summary>Wild card matching with '*' and '?'.</summary>
    Wildcard,

    /// <summary>List of UIDs (or any backslash-separated list): equal to one of them.</summary>
    List,
}

/// <summary>
/// One condition on one tag. Values compare as strings, as Orthanc compares them: ranges on DA, TM
/// and DT are therefore lexicographic, which is right for well-formed dates and times.
/// </summary>
public sealed class TagConstraint
{
    private readonly IReadOnlyList<string> _values;
    private Regex? _wildcard;

    public TagConstraint(DicomTag tag, ConstraintKind kind, IReadOnlyList<string> values, bool caseSensitive, bool mandatory)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (kind != ConstraintKind.List && values.Count != 1)
            throw new ArgumentException($"A {kind} constraint takes exactly one value", nameof(values));

        // A '*' or '?' that is not a wild card (on a number, a UID, a date) is a malformed query,
        // not data to look for; Orthanc refuses it the same way.
        if (kind is not ConstraintKind.Wildcard and not ConstraintKind.List && values[0].AsSpan().IndexOfAny('*', '?') >= 0)
            throw new ArgumentException($"Wildcards are not allowed on tag {tag}", nameof(values));

        Tag = tag;
        Kind = kind;
        CaseSensitive = caseSensitive;
        Mandatory = mandatory;
        _values = caseSensitive ? values : [.. values.Select(Normalize)];
    }

    // A copy on another tag (values already normalised).
    private TagConstraint(TagConstraint source, DicomTag tag)
    {
        Tag = tag;
        Kind = source.Kind;
        CaseSensitive = source.CaseSensitive;
        Mandatory = source.Mandatory;
        _values = source._values;
    }

    public DicomTag Tag { get; }

    public ConstraintKind Kind { get; }

    public bool CaseSensitive { get; }

    /// <summary>When true a resource without the tag does not match; when false it does.</summary>
    public bool Mandatory { get; }

    public IReadOnlyList<string> Values => _values;

    /// <summary>Whether a stored value (null when the resource has no such tag) satisfies the constraint.</summary>
    public bool IsMatch(string? stored)
    {
        if (stored is null)
            return !Mandatory;

        var value = CaseSensitive ? stored : Normalize(stored);
        return Kind switch
        {
            ConstraintKind.Equal => value == _values[0],
            ConstraintKind.SmallerOrEqual => string.CompareOrdinal(value, _values[0]) <= 0,
            ConstraintKind.GreaterOrEqual => string.CompareOrdinal(value, _values[0]) >= 0,
            ConstraintKind.Wildcard => (_wildcard ??= WildcardToRegex(_values[0])).IsMatch(value),
            _ => _values.Contains(value),
        };
    }

    /// <summary>The same condition on another tag.</summary>
    public TagConstraint WithTag(DicomTag tag) => new(this, tag);

    public override string ToString() => Kind switch
    {
        ConstraintKind.Equal => $"{Tag} == {_values[0]}",
        ConstraintKind.SmallerOrEqual => $"{Tag} <= {_values[0]}",
        ConstraintKind.GreaterOrEqual => $"{Tag} >= {_values[0]}",
        ConstraintKind.Wildcard => $"{Tag} ~~ {_values[0]}",
        _ => $"{Tag} IN [ {string.Join(", ", _values)} ]",
    };

    // Case-insensitive matching folds to upper case but keeps accents ("é" matches "É", not "E").
    private static string Normalize(string value) => SqliteIndex.FoldCase(value);

    // The whole value must match: '*' is any run of characters (also none), '?' exactly one.
    private static Regex WildcardToRegex(string pattern)
    {
        var regex = new StringBuilder("^");
        foreach (var c in pattern)
        {
            regex.Append(c switch
            {
                '*' => ".*",
                '?' => ".",
                _ => Regex.Escape(c.ToString()),
            });
        }

        return new Regex(regex.Append('$').ToString(), RegexOptions.Singleline | RegexOptions.CultureInvariant);
    }
}

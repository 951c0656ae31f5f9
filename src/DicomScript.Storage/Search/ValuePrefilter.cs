using System.Text;
using System.Text.Json;

namespace DicomScript.Storage.Search;

/// <summary>
/// A SQL condition on a stored tag value (the column <c>value</c>) that holds for every value the
/// given constraints accept, so that SQLite drops most of the others before they are read into .NET.
/// The constraints are still tested afterwards; this only has to let through a superset.
/// <para>
/// Where SQLite and .NET could disagree, the condition lets the value through:
/// <list type="bullet">
/// <item>Without case, SQLite's LIKE and upper() fold ASCII letters only, where .NET's
/// ToUpperInvariant also folds others, some onto ASCII ("ſ" to "S"); a value with any character
/// outside ASCII passes.</item>
/// <item>With case, equality and lists agree for every string. Ranges compare UTF-8 bytes in SQLite
/// and UTF-16 units in .NET, which order characters outside ASCII differently (surrogates); a
/// bound outside ASCII lets every value outside ASCII pass. GLOB's '?' is one character, where a
/// '?' of the constraint is one UTF-16 unit; with a '?', every value outside ASCII passes.</item>
/// </list>
/// Without those, the conditions on ASCII-only bounds use the index on (tag, value).
/// </para>
/// </summary>
public static class ValuePrefilter
{
    private const string NotAscii = "length(CAST(value AS BLOB)) <> length(value)";
    private const int MaxValueLength = 4096;

    /// <summary>The condition and its parameters (named <c>@p0</c>, <c>@p1</c>...) for mandatory constraints on one tag.</summary>
    public static (string Sql, (string Name, object? Value)[] Parameters) For(IReadOnlyList<TagConstraint> constraints)
    {
        ArgumentNullException.ThrowIfNull(constraints);
        if (constraints.Any(c => !c.Mandatory))
            throw new ArgumentException("A constraint that accepts a missing value cannot narrow the rows that have one", nameof(constraints));
        var tests = new List<string>();
        var parameters = new List<(string, object?)>();
        foreach (var constraint in constraints)
        {
            // SQLite refuses LIKE and GLOB patterns past 50,000 bytes; such a value is no DICOM
            // value anyway (a REST query can still send one), and is left to .NET alone.
            if (constraint.Values.Any(v => v.Length > MaxValueLength))
                continue;
            var name = $"@p{parameters.Count}";
            var (test, value) = constraint.CaseSensitive ? WithCase(constraint, name) : WithoutCase(constraint, name);
            tests.Add(test);
            parameters.Add((name, value));
        }

        return (tests.Count > 0 ? string.Join(" AND ", tests) : "1", [.. parameters]);
    }

    private static (string Test, object Value) WithCase(TagConstraint constraint, string name)
    {
        var value = constraint.Values[0];
        return constraint.Kind switch
        {
            ConstraintKind.Equal => ($"value = {name}", value),
            ConstraintKind.List => ($"value IN (SELECT value FROM json_each({name}))", JsonArrayOf(constraint.Values)),
            ConstraintKind.GreaterOrEqual => (OrNotAscii($"value >= {name}", !Ascii.IsValid(value)), value),
            ConstraintKind.SmallerOrEqual => (OrNotAscii($"value <= {name}", !Ascii.IsValid(value)), value),
            // '[' is GLOB's only special character besides '*' and '?': made literal.
            _ => (OrNotAscii($"value GLOB {name}", value.Contains('?')), value.Replace("[", "[[]", StringComparison.Ordinal)),
        };
    }

    // The constraint's values are already upper case.
    private static (string Test, object Value) WithoutCase(TagConstraint constraint, string name) => constraint.Kind switch
    {
        ConstraintKind.Equal => (OrNotAscii($"value LIKE {name} ESCAPE '\\'", true), ToLike(constraint.Values[0], wildcards: false)),
        ConstraintKind.Wildcard => (OrNotAscii($"value LIKE {name} ESCAPE '\\'", true), ToLike(constraint.Values[0], wildcards: true)),
        ConstraintKind.List => (OrNotAscii($"upper(value) IN (SELECT value FROM json_each({name}))", true), JsonArrayOf(constraint.Values)),
        ConstraintKind.GreaterOrEqual => (OrNotAscii($"upper(value) >= {name}", true), constraint.Values[0]),
        _ => (OrNotAscii($"upper(value) <= {name}", true), constraint.Values[0]),
    };

    // A list's values as one parameter, read back by json_each.
    private static string JsonArrayOf(IReadOnlyList<string> values) => JsonSerializer.Serialize(values);

    private static string OrNotAscii(string test, bool needed) => needed ? $"({test} OR {NotAscii})" : test;

    // LIKE's own '%', '_' and escape character made literal; the wild cards '*' and '?' become '%' and '_'.
    private static string ToLike(string text, bool wildcards)
    {
        var like = new StringBuilder(text.Length + 4);
        foreach (var c in text)
        {
            like.Append(c switch
            {
                '%' or '_' or '\\' => $"\\{c}",
                '*' when wildcards => "%",
                '?' when wildcards => "_",
                _ => c.ToString(),
            });
        }

        return like.ToString();
    }
}

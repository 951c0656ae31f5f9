using DicomScript.Dicom.Data;
using DicomScript.Dicom.Dictionary;

namespace DicomScript.Storage.Search;

/// <summary>
/// A query made of tag constraints, all of which must hold. Built from C-FIND identifiers and from
/// the "Query" of <c>/tools/find</c>, turning each DICOM query string into a constraint the way
/// Orthanc 1.10.1 does (PS3.4 C.2.2.2): a '-' on DA/TM/DT is a range, a '\' a list, '*' or '?'
/// on a text VR a wild card, anything else single value matching.
/// </summary>
public sealed class DicomLookup
{
    // PS3.4 C.2.2.2.4: wild card matching is defined for these VRs only; elsewhere '*' is data.
    private static readonly HashSet<DicomVR> WildcardVRs =
        [DicomVR.AE, DicomVR.CS, DicomVR.LO, DicomVR.LT, DicomVR.PN, DicomVR.SH, DicomVR.ST, DicomVR.UC, DicomVR.UR, DicomVR.UT];

    private readonly List<TagConstraint> _constraints = [];

    public IReadOnlyList<TagConstraint> Constraints => _constraints;

    /// <summary>
    /// A constraint from a C-FIND identifier: matching is case-sensitive, as PS3.4 requires, except
    /// on PN where <paramref name="caseSensitivePN"/> (the "CaseSensitivePN" option) decides.
    /// </summary>
    public void AddDicomConstraint(DicomTag tag, string query, bool caseSensitivePN, bool mandatory = true)
    {
        var vr = VROf(tag);
        Add(tag, vr, query, vr != DicomVR.PN || caseSensitivePN, mandatory);
    }

    /// <summary>A constraint from the REST API, where one flag sets case sensitivity for every tag.</summary>
    public void AddRestConstraint(DicomTag tag, string query, bool caseSensitive, bool mandatory = true) =>
        Add(tag, VROf(tag), query, caseSensitive, mandatory);

    /// <summary>True when a constraint is on <paramref name="tag"/>.</summary>
    public bool Has(DicomTag tag) => _constraints.Exists(c => c.Tag == tag);

    /// <summary>A copy whose constraints on <paramref name="from"/> are on <paramref name="to"/> instead.</summary>
    public DicomLookup Retarget(DicomTag from, DicomTag to)
    {
        var copy = new DicomLookup();
        copy._constraints.AddRange(_constraints.Select(c => c.Tag == from ? c.WithTag(to) : c));
        return copy;
    }

    /// <summary>True when every constraint holds for the values <paramref name="valueOf"/> gives (null: tag absent).</summary>
    public bool IsMatch(Func<DicomTag, string?> valueOf)
    {
        ArgumentNullException.ThrowIfNull(valueOf);
        return _constraints.All(constraint => constraint.IsMatch(valueOf(constraint.Tag)));
    }

    private static DicomVR VROf(DicomTag tag)
    {
        var vr = DicomDictionary.Find(tag)?.DefaultVR ?? DicomVR.UN;
        if (vr == DicomVR.SQ)
            throw new ArgumentException($"Cannot match on the sequence {tag}", nameof(tag));
        return vr;
    }

    private void Add(DicomTag tag, DicomVR vr, string query, bool caseSensitive, bool mandatory)
    {
        ArgumentNullException.ThrowIfNull(query);
        if ((vr == DicomVR.DA || vr == DicomVR.TM || vr == DicomVR.DT) && query.IndexOf('-', StringComparison.Ordinal) is var dash and >= 0)
        {
            // An open end ("20200101-") leaves that side unconstrained.
            var lower = query[..dash];
            var upper = query[(dash + 1)..];
            if (lower.Length > 0)
                _constraints.Add(new TagConstraint(tag, ConstraintKind.GreaterOrEqual, [lower], caseSensitive, mandatory));
            if (upper.Length > 0)
                _constraints.Add(new TagConstraint(tag, ConstraintKind.SmallerOrEqual, [upper], caseSensitive, mandatory));
        }
        else if (query.Contains('\\', StringComparison.Ordinal))
        {
            _constraints.Add(new TagConstraint(tag, ConstraintKind.List, query.Split('\\'), caseSensitive, mandatory));
        }
        else if (WildcardVRs.Contains(vr) && query.AsSpan().IndexOfAny('*', '?') >= 0)
        {
            _constraints.Add(new TagConstraint(tag, ConstraintKind.Wildcard, [query], caseSensitive, mandatory));
        }
        else
        {
            _constraints.Add(new TagConstraint(tag, ConstraintKind.Equal, [query], caseSensitive, mandatory));
        }
    }
}

using System.Globalization;

namespace DicomScript.Storage.Index;

/// <summary>
/// Metadata names as Orthanc translates them: its own (IndexInSeries, ...), then the configuration's
/// UserMetadata; a number stands for itself, and a number without a name is shown as the number.
/// </summary>
public sealed class MetadataNames
{
    private readonly Dictionary<string, int> _byName;
    private readonly Dictionary<int, string> _byNumber;

    public MetadataNames(IReadOnlyDictionary<string, int> userMetadata)
    {
        ArgumentNullException.ThrowIfNull(userMetadata);
        _byNumber = Enum.GetValues<MetadataType>().ToDictionary(t => (int)t, t => t.ToString());
        foreach (var (name, number) in userMetadata)
            _byNumber.TryAdd(number, name);
        _byName = _byNumber.ToDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);
    }

    public string NameOf(int number) => _byNumber.TryGetValue(number, out var name) ? name : number.ToString(CultureInfo.InvariantCulture);

    /// <summary>The number of a name, or of a number written in decimal; null when neither.</summary>
    public int? NumberOf(string name) =>
        int.TryParse(name, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) ? number
        : _byName.TryGetValue(name, out var known) ? known
        : null;
}

using System.Text.Json.Nodes;

namespace DicomScript.Server.Configuration;

// DicomModalities and OrthancPeers: read from the configuration at first use, then changed by
// PUT/DELETE /modalities/{name} and /peers/{name}. Each change publishes a whole new list, so a
// reader (the allow lists consult the modalities for every DICOM request) never sees half of one.
public sealed partial class OrthancConfiguration
{
    private readonly Lock _remotesLock = new();
    private volatile IReadOnlyList<DicomModality>? _dicomModalities;
    private volatile IReadOnlyList<OrthancPeer>? _orthancPeers;

    /// <summary>Whether PUT/DELETE of a modality is kept in the index (else it lasts until the next start), as Orthanc's option.</summary>
    public bool DicomModalitiesInDatabase => Boolean("DicomModalitiesInDatabase", false);

    /// <summary>The same as <see cref="DicomModalitiesInDatabase"/> for OrthancPeers.</summary>
    public bool OrthancPeersInDatabase => Boolean("OrthancPeersInDatabase", false);

    public IReadOnlyList<DicomModality> DicomModalities => _dicomModalities ??= ParseModalities(Object("DicomModalities"));

    public IReadOnlyList<OrthancPeer> OrthancPeers => _orthancPeers ??= ParsePeers(Object("OrthancPeers"));

    /// <summary>The DicomModalities entries with this AE title (without case unless StrictAetComparison).</summary>
    public IEnumerable<DicomModality> ModalitiesWithAet(string aet)
    {
        var comparison = StrictAetComparison ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;
        return DicomModalities.Where(m => string.Equals(m.AET, aet, comparison));
    }

    /// <summary>
    /// The DicomModalities entries an association from <paramref name="aet"/> at <paramref name="host"/>
    /// is taken for: those with its AE title, and with DicomCheckModalityHost only those at its host.
    /// </summary>
    public IEnumerable<DicomModality> ModalitiesCalling(string aet, string host) =>
        ModalitiesWithAet(aet).Where(m => !DicomCheckModalityHost || m.Host == host);

    /// <summary>The DicomModalities entry with this symbolic name, or null.</summary>
    public DicomModality? ModalityNamed(string name) => DicomModalities.FirstOrDefault(m => m.Name == name);

    /// <summary>The OrthancPeers entry with this symbolic name, or null.</summary>
    public OrthancPeer? PeerNamed(string name) => OrthancPeers.FirstOrDefault(p => p.Name == name);

    /// <summary>Adds or replaces a modality; returns the new list (for saving it).</summary>
    public IReadOnlyList<DicomModality> SetModality(DicomModality modality)
    {
        ArgumentNullException.ThrowIfNull(modality);
        CheckName(modality.Name);
        lock (_remotesLock)
            return _dicomModalities = [.. DicomModalities.Where(m => m.Name != modality.Name).Append(modality).OrderBy(m => m.Name, StringComparer.Ordinal)];
    }

    /// <summary>Removes a modality; null when there was none of that name, else the new list.</summary>
    public IReadOnlyList<DicomModality>? RemoveModality(string name)
    {
        lock (_remotesLock)
            return ModalityNamed(name) is null ? null : _dicomModalities = [.. DicomModalities.Where(m => m.Name != name)];
    }

    /// <summary>Adds or replaces a peer; returns the new list (for saving it).</summary>
    public IReadOnlyList<OrthancPeer> SetPeer(OrthancPeer peer)
    {
        ArgumentNullException.ThrowIfNull(peer);
        CheckName(peer.Name);
        lock (_remotesLock)
            return _orthancPeers = [.. OrthancPeers.Where(p => p.Name != peer.Name).Append(peer).OrderBy(p => p.Name, StringComparer.Ordinal)];
    }

    /// <summary>Removes a peer; null when there was none of that name, else the new list.</summary>
    public IReadOnlyList<OrthancPeer>? RemovePeer(string name)
    {
        lock (_remotesLock)
            return PeerNamed(name) is null ? null : _orthancPeers = [.. OrthancPeers.Where(p => p.Name != name)];
    }

    /// <summary>Replaces the modalities from the configuration by those saved in the index (DicomModalitiesInDatabase).</summary>
    public void UseSavedModalities(JsonObject saved)
    {
        lock (_remotesLock)
            _dicomModalities = ParseModalities(saved);
    }

    /// <summary>Replaces the peers from the configuration by those saved in the index (OrthancPeersInDatabase).</summary>
    public void UseSavedPeers(JsonObject saved)
    {
        lock (_remotesLock)
            _orthancPeers = ParsePeers(saved);
    }

    /// <summary>
    /// Orthanc's rule for the names of modalities and peers: letters, digits, '-' and '_' (a name is
    /// part of REST routes and of Lua calls).
    /// </summary>
    public static void CheckName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            throw new ConfigurationException($"\"{name}\": only letters, digits, '-' and '_' may name a modality or peer")
            {
                Details = $"Only alphanumeric, dash characters and underscores are allowed in the names of modalities/peers, but found: {name}",
            };
        }
    }

    private static List<DicomModality> ParseModalities(JsonObject section) =>
        [.. section.Select(p => DicomModality.Parse(p.Key, p.Value)).OrderBy(m => m.Name, StringComparer.Ordinal)];

    private static List<OrthancPeer> ParsePeers(JsonObject section) =>
        [.. section.Select(p => OrthancPeer.Parse(p.Key, p.Value)).OrderBy(p => p.Name, StringComparer.Ordinal)];
}

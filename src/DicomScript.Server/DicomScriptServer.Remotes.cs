using System.Text.Json;
using System.Text.Json.Nodes;
using DicomScript.Server.Configuration;
using DicomScript.Storage.Index;

namespace DicomScript.Server;

// Modalities and peers defined over REST (PUT/DELETE /modalities/{name}, /peers/{name}). With
// DicomModalitiesInDatabase / OrthancPeersInDatabase the whole list is kept in the index, as by
// Orthanc, and replaces the configuration file's list at the next start; without, a change lasts
// until the server stops.
public sealed partial class DicomScriptServer
{
    private readonly Lock _remotesSaveLock = new();

    /// <summary>Adds or replaces a modality (see the class comment for how long it lasts).</summary>
    public void SaveModality(DicomModality modality)
    {
        lock (_remotesSaveLock)
            KeepModalities(Configuration.SetModality(modality));
    }

    /// <summary>Removes a modality; false when there is none of that name.</summary>
    public bool DeleteModality(string name)
    {
        lock (_remotesSaveLock)
        {
            if (Configuration.RemoveModality(name) is not { } remaining)
                return false;
            KeepModalities(remaining);
            return true;
        }
    }

    /// <summary>Adds or replaces a peer (see the class comment for how long it lasts).</summary>
    public void SavePeer(OrthancPeer peer)
    {
        lock (_remotesSaveLock)
            KeepPeers(Configuration.SetPeer(peer));
    }

    /// <summary>Removes a peer; false when there is none of that name.</summary>
    public bool DeletePeer(string name)
    {
        lock (_remotesSaveLock)
        {
            if (Configuration.RemovePeer(name) is not { } remaining)
                return false;
            KeepPeers(remaining);
            return true;
        }
    }

    private void KeepModalities(IReadOnlyList<DicomModality> modalities)
    {
        if (Configuration.DicomModalitiesInDatabase)
            Index.SetGlobalProperty(GlobalProperty.Modalities, new JsonObject([.. modalities.Select(m => KeyValuePair.Create(m.Name, (JsonNode?)m.ToJson()))]).ToJsonString());
    }

    private void KeepPeers(IReadOnlyList<OrthancPeer> peers)
    {
        if (Configuration.OrthancPeersInDatabase)
            Index.SetGlobalProperty(GlobalProperty.Peers, new JsonObject([.. peers.Select(p => KeyValuePair.Create(p.Name, (JsonNode?)p.ToJson(includePasswords: true)))]).ToJsonString());
    }

    // At start: the lists saved in the index replace the configuration file's (an empty list when none was saved yet).
    private static void UseSavedRemotes(OrthancConfiguration configuration, SqliteIndex index)
    {
        if (configuration.DicomModalitiesInDatabase)
            configuration.UseSavedModalities(ReadSaved(index, GlobalProperty.Modalities, "DicomModalities"));
        if (configuration.OrthancPeersInDatabase)
            configuration.UseSavedPeers(ReadSaved(index, GlobalProperty.Peers, "OrthancPeers"));
    }

    private static JsonObject ReadSaved(SqliteIndex index, GlobalProperty property, string what)
    {
        var text = index.GetGlobalProperty(property) ?? "{}";
        try
        {
            return JsonNode.Parse(text) as JsonObject ?? throw new ConfigurationException($"The {what} saved in the index are not a JSON object");
        }
        catch (JsonException ex)
        {
            throw new ConfigurationException($"The {what} saved in the index cannot be read: {ex.Message}", ex);
        }
    }
}

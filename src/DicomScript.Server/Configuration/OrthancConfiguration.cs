using System.Text.Json;
using System.Text.Json.Nodes;
using DicomScript.Storage.Index;

namespace DicomScript.Server.Configuration;

/// <summary>How a second copy of a stored instance is treated (Orthanc's OverwriteInstances).</summary>
public enum OverwriteMode
{
    Never,
    Always,
    IfChanged,
}

/// <summary>What happens when the storage is full (Orthanc's MaximumStorageMode).</summary>
public enum MaximumStorageMode
{
    Recycle,
    Reject,
}

/// <summary>
/// An Orthanc configuration: the merged JSON as read (unknown keys kept, for Lua's
/// <c>GetOrthancConfiguration</c>) and typed accessors with Orthanc's defaults. A value of the wrong
/// type is a <see cref="ConfigurationException"/> naming the key.
/// </summary>
public sealed partial class OrthancConfiguration
{
    internal OrthancConfiguration(JsonObject json, string folder, IReadOnlyList<string> files)
    {
        Json = json;
        Folder = folder;
        Files = files;
    }

    /// <summary>The configuration as JSON (all keys, as written).</summary>
    public JsonObject Json { get; }

    /// <summary>The folder relative paths are resolved against (the configuration file's folder).</summary>
    public string Folder { get; }

    /// <summary>The files read, in order.</summary>
    public IReadOnlyList<string> Files { get; }

    public string Name => String("Name", "MyOrthanc");

    public int HttpPort => Integer("HttpPort", 8042);

    public int DicomPort => Integer("DicomPort", 4242);

    public string DicomAet => String("DicomAet", "ORTHANC");

    public bool HttpServerEnabled => Boolean("HttpServerEnabled", true);

    public bool DicomServerEnabled => Boolean("DicomServerEnabled", true);

    public string StorageDirectory => ResolvePath(String("StorageDirectory", "OrthancStorage"));

    /// <summary>Defaults to the storage directory, as in Orthanc.</summary>
    public string IndexDirectory => Json.ContainsKey("IndexDirectory") ? ResolvePath(String("IndexDirectory", "")) : StorageDirectory;

    public bool StorageCompression => Boolean("StorageCompression", false);

    /// <summary>
    /// Ours (off by default): sync every stored file, its folder and each index commit to the disk, so
    /// an acknowledged instance survives a power loss, not only a killed process.
    /// </summary>
    public bool SyncStorageArea => Boolean("SyncStorageArea", false);

    /// <summary>In megabytes; 0 = unlimited.</summary>
    public long MaximumStorageSize => Integer("MaximumStorageSize", 0);

    public long MaximumPatientCount => Integer("MaximumPatientCount", 0);

    public MaximumStorageMode MaximumStorageMode => Enum("MaximumStorageMode", MaximumStorageMode.Recycle);

    /// <summary>MaximumStorageSize (MB), MaximumPatientCount and MaximumStorageMode, as the index applies them.</summary>
    public StorageLimits StorageLimits => new(MaximumStorageSize * 1024 * 1024, MaximumPatientCount, MaximumStorageMode == MaximumStorageMode.Reject);

    /// <summary>The Lua scripts to load, in order, resolved against the configuration folder.</summary>
    public IReadOnlyList<string> LuaScripts => Strings("LuaScripts").Select(ResolvePath).ToList();

    public int LuaHeartBeatPeriod => Integer("LuaHeartBeatPeriod", 0);

    /// <summary>Ours: seconds after which a Lua callback or script is aborted; 0 = never.</summary>
    public int LuaCallbackTimeout => Integer("LuaCallbackTimeout", 60);

    /// <summary>Ours: megabytes the Lua state may hold before an allocation fails inside the script; 0 = no cap.</summary>
    public int LuaMemoryLimit => Integer("LuaMemoryLimit", 256);

    public bool ExecuteLuaEnabled => Boolean("ExecuteLuaEnabled", false);

    /// <summary>Seconds without a new instance before a resource is stable; below 1 means 60, as in Orthanc.</summary>
    public int StableAge => Integer("StableAge", 60) is var age && age < 1 ? 60 : age;

    public bool RemoteAccessAllowed => Boolean("RemoteAccessAllowed", false);

    /// <summary>When not set, it follows <see cref="RemoteAccessAllowed"/> (Orthanc 1.5.8+).</summary>
    public bool AuthenticationEnabled => Json.ContainsKey("AuthenticationEnabled") ? Boolean("AuthenticationEnabled", false) : RemoteAccessAllowed;

    public IReadOnlyDictionary<string, string> RegisteredUsers => Object("RegisteredUsers")
        .ToDictionary(p => p.Key, p => Text(p.Value, $"RegisteredUsers.{p.Key}"), StringComparer.Ordinal);

    public bool DicomCheckCalledAet => Boolean("DicomCheckCalledAet", false);

    public bool DicomAlwaysAllowEcho => Boolean("DicomAlwaysAllowEcho", true);

    public bool DicomAlwaysAllowStore => Boolean("DicomAlwaysAllowStore", true);

    public bool DicomAlwaysAllowFind => Boolean("DicomAlwaysAllowFind", false);

    public bool DicomAlwaysAllowFindWorklist => Boolean("DicomAlwaysAllowFindWorklist", false);

    public bool DicomAlwaysAllowGet => Boolean("DicomAlwaysAllowGet", false);

    public bool DicomAlwaysAllowMove => Boolean("DicomAlwaysAllowMove", false);

    /// <summary>The most patients, studies or series a C-FIND answers (0: no limit).</summary>
    public int LimitFindResults => Integer("LimitFindResults", 0);

    /// <summary>The most instances a C-FIND answers (0: no limit).</summary>
    public int LimitFindInstances => Integer("LimitFindInstances", 0);

    /// <summary>Whether C-FIND matches person names case-sensitively (other VRs always are).</summary>
    public bool CaseSensitivePN => Boolean("CaseSensitivePN", false);

    public bool DicomCheckModalityHost => Boolean("DicomCheckModalityHost", false);

    public bool StrictAetComparison => Boolean("StrictAetComparison", false);

    public bool CheckRevisions => Boolean("CheckRevisions", false);

    public bool UnknownSopClassAccepted => Boolean("UnknownSopClassAccepted", false);

    public int DicomScuTimeout => Integer("DicomScuTimeout", 10);

    public int DicomScpTimeout => Integer("DicomScpTimeout", 30);

    public int DicomAssociationCloseDelay => Integer("DicomAssociationCloseDelay", 5);

    /// <summary>Whether an incoming C-MOVE sends while the request waits (true), or queues a job and answers at once.</summary>
    public bool SynchronousCMove => Boolean("SynchronousCMove", true);

    /// <summary>Orthanc 1.10.1 wrote a boolean; later versions write "Never", "Always" or "IfChanged". Both are read.</summary>
    public OverwriteMode OverwriteInstances => Json["OverwriteInstances"] switch
    {
        null => OverwriteMode.Never,
        JsonValue v when v.TryGetValue<bool>(out var b) => b ? OverwriteMode.Always : OverwriteMode.Never,
        _ => Enum("OverwriteInstances", OverwriteMode.Never),
    };

    public int HttpTimeout => Integer("HttpTimeout", 60);

    /// <summary>Whether Lua's Http* check the certificates of HTTPS servers.</summary>
    public bool HttpsVerifyPeers => Boolean("HttpsVerifyPeers", true);

    /// <summary>The proxy for Lua's Http* ("" = none).</summary>
    public string HttpProxy => String("HttpProxy", "");

    public bool HttpDescribeErrors => Boolean("HttpDescribeErrors", true);

    public int JobsHistorySize => Integer("JobsHistorySize", 10);

    public int ConcurrentJobs => Integer("ConcurrentJobs", 2);

    public bool SaveJobs => Boolean("SaveJobs", true);

    /// <summary>How many /modalities/{name}/query results are kept for /queries.</summary>
    public int QueryRetrieveSize => Integer("QueryRetrieveSize", 100);

    /// <summary>Whether resources sent to modalities and peers are recorded (<c>/exports</c>); off by default since Orthanc 1.4.0.</summary>
    public bool LogExportedResources => Boolean("LogExportedResources", false);

    /// <summary>Whether a C-ECHO from REST is followed by a C-FIND (the modality knows us), unless the request says.</summary>
    public bool DicomEchoChecksFind => Boolean("DicomEchoChecksFind", false);

    public bool LoadPrivateDictionary => Boolean("LoadPrivateDictionary", true);

    public string DefaultEncoding => String("DefaultEncoding", "Latin1");

    /// <summary>The private creator given to private tags that modifications create.</summary>
    public string DefaultPrivateCreator => String("DefaultPrivateCreator", "");

    public bool StoreMD5ForAttachments => Boolean("StoreMD5ForAttachments", true);

    /// <summary>User metadata: name → number (1024..65535).</summary>
    public IReadOnlyDictionary<string, int> UserMetadata => Object("UserMetadata").ToDictionary(p => p.Key, p =>
    {
        var number = Number(p.Value, $"UserMetadata.{p.Key}");
        return number is >= 1024 and <= 65535 ? (int)number : throw new ConfigurationException($"UserMetadata.{p.Key}: {number} is not within 1024..65535");
    }, StringComparer.Ordinal);

    /// <summary>A path from the configuration, made absolute against the configuration folder.</summary>
    public string ResolvePath(string path) => Path.GetFullPath(path, Folder);

    private string String(string key, string fallback) => Json[key] is null ? fallback : Text(Json[key], key);

    private long Integer(string key, long fallback) => Json[key] is null ? fallback : Number(Json[key], key);

    private int Integer(string key, int fallback) => Json[key] is null ? fallback : checked((int)Number(Json[key], key));

    private bool Boolean(string key, bool fallback) => Json[key] switch
    {
        null => fallback,
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => v.GetValue<bool>(),
        _ => throw WrongType(key, "true or false"),
    };

    private T Enum<T>(string key, T fallback)
        where T : struct, Enum
    {
        if (Json[key] is null)
            return fallback;
        var text = Text(Json[key], key);
        return System.Enum.TryParse<T>(text, ignoreCase: true, out var value)
            ? value
            : throw new ConfigurationException($"\"{key}\": \"{text}\" is not one of {string.Join(", ", System.Enum.GetNames<T>())}");
    }

    private List<string> Strings(string key) => Json[key] switch
    {
        null => [],
        JsonArray a => [.. a.Select((item, i) => Text(item, $"{key}[{i}]"))],
        _ => throw WrongType(key, "an array of strings"),
    };

    private JsonObject Object(string key) => Json[key] switch
    {
        null => [],
        JsonObject o => o,
        _ => throw WrongType(key, "an object"),
    };

    internal static string Text(JsonNode? node, string key) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : throw WrongType(key, "a string");

    internal static long Number(JsonNode? node, string key) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<long>(out var n) ? n : throw WrongType(key, "an integer");

    internal static ConfigurationException WrongType(string key, string expected) => new($"\"{key}\" must be {expected}");
}

using DicomScript.Dicom.IO;
using DicomScript.Dicom.Json;
using DicomScript.Scripting.Engine;
using DicomScript.Scripting.Events;
using DicomScript.Server.Scripting;

namespace DicomScript.Scripting;

/// <summary>
/// OutgoingCStoreInstanceFilter(dicom, destination) before each C-STORE we send: <c>dicom</c> the
/// instance's tags as OnStoredInstance gets them, <c>destination</c> = {RemoteAet, RemoteIp};
/// true sends, false skips (Orthanc 1.12.11's callback); anything else is NotLuaPredicate.
/// </summary>
internal sealed class LuaOutgoingStoreFilter(LuaEngine engine) : IOutgoingStoreFilter
{
    public bool Allow(DicomFile file, string remoteAet, string remoteIp)
    {
        ArgumentNullException.ThrowIfNull(file);
        var tags = OrthancTagsConverter.Convert(file.Dataset);
        return engine.Call(DefinedCallbacks.OutgoingCStoreInstanceFilter, lua =>
        {
            CallbackArguments.PushTags(lua, tags);
            lua.CreateTable(0, 2);
            lua.PushString(remoteAet);
            lua.SetField(-2, "RemoteAet");
            lua.PushString(remoteIp);
            lua.SetField(-2, "RemoteIp");
            return 2;
        }, LuaResults.Predicate(DefinedCallbacks.OutgoingCStoreInstanceFilter), whenUndefined: true);
    }
}

using DicomScript.Dicom.IO;
using DicomScript.Dicom.Json;
using DicomScript.Scripting.Engine;
using DicomScript.Scripting.Events;
using DicomScript.Server;
using DicomScript.Server.Ingest;
using DicomScript.Server.Scripting;
using KeraLua;

namespace DicomScript.Scripting;

/// <summary>
/// ReceivedInstanceFilter(dicom, origin, info) for every origin (false discards: REST answers
/// FilteredOut, C-STORE Success as in Orthanc), then, for C-STORE only,
/// ReceivedCStoreInstanceFilter(dicom, origin, info): 0 accepts, any other value discards and is the
/// DIMSE status answered (Orthanc 1.13's meaning; 1.10 to 1.12 had it inverted).
/// </summary>
internal sealed class LuaReceiveFilter(LuaEngine engine, DefinedCallbacks callbacks) : IReceivedInstanceFilter
{
    private static readonly FilterDecision Discarded = new(false);

    public ValueTask<FilterDecision> FilterAsync(DicomFile file, InstanceOrigin origin, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(origin);
        var runInstanceFilter = callbacks.Has(DefinedCallbacks.ReceivedInstanceFilter);
        var runCStoreFilter = origin.RequestOrigin == InstanceOrigin.DicomProtocol && callbacks.Has(DefinedCallbacks.ReceivedCStoreInstanceFilter);
        if (!runInstanceFilter && !runCStoreFilter)
            return ValueTask.FromResult(FilterDecision.Accepted); // only the C-STORE filter is defined, and this is no C-STORE
        var tags = OrthancTagsConverter.Convert(file.Dataset);
        int Arguments(Lua lua)
        {
            CallbackArguments.PushTags(lua, tags);
            CallbackArguments.PushOrigin(lua, origin);
            CallbackArguments.PushInfo(lua, file);
            return 3;
        }

        if (runInstanceFilter
            && !engine.Call(DefinedCallbacks.ReceivedInstanceFilter, Arguments, LuaResults.Predicate(DefinedCallbacks.ReceivedInstanceFilter), whenUndefined: true))
            return ValueTask.FromResult(Discarded);
        if (runCStoreFilter)
        {
            var status = engine.Call<ushort>(DefinedCallbacks.ReceivedCStoreInstanceFilter, Arguments, DimseStatus, whenUndefined: 0);
            if (status != 0)
                return ValueTask.FromResult(new FilterDecision(false, status));
        }

        return ValueTask.FromResult(FilterDecision.Accepted);
    }

    // An integer 0..0xFFFF, else ParameterOutOfRange as in Orthanc.
    private static ushort DimseStatus(Lua lua, int count)
    {
        if (count < 1 || !lua.IsInteger(-count) || lua.ToInteger(-count) is < 0 or > 0xFFFF)
            throw new ScriptException(OrthancError.ParameterOutOfRange, "ReceivedCStoreInstanceFilter must return a DIMSE status: an integer from 0 to 0xFFFF");
        return (ushort)lua.ToInteger(-count);
    }
}

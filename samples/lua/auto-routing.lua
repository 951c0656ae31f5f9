-- Auto-routing: forward every instance received to the PACS, then delete it here.
--
-- ROUTING_TARGET names an entry of "DicomModalities" in the configuration. The operations become
-- one job per instance (see /jobs). With DicomScript the Delete happens only once the send has
-- succeeded: if the PACS is down the job fails, the instance stays, and
-- POST /jobs/{id}/resubmit sends it again (forward-with-retry.lua does that by itself).

ROUTING_TARGET = 'pacs'

function OnStoredInstance(instanceId, tags, metadata, origin)
   -- What a script stored itself (a modified copy, an upload through RestApiPost) is left alone:
   -- routing it too could loop.
   if origin['RequestOrigin'] ~= 'Lua' then
      Delete(SendToModality(instanceId, ROUTING_TARGET))
   end
end

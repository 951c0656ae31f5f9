-- Modify, then forward: send the PACS a copy with the institution replaced and a few identifying
-- tags removed, then delete both the copy and the original here.
--
-- ModifyInstance stores the modified copy (origin "Lua") and gives its ID to SendToModality; the
-- four operations run in order in one job, which stops at the first failure: if the PACS refuses
-- the copy, the original is not deleted. Values stay strings ('007' is sent as 007).

TARGET = 'pacs'
REPLACE = { InstitutionName = 'DicomScript Hospital', ReferringPhysicianName = '' }
REMOVE = { 'OtherPatientIDsSequence', 'InstitutionAddress' }

function OnStoredInstance(instanceId, tags, metadata, origin)
   if origin['RequestOrigin'] == 'Lua' then
      return  -- the modified copy itself
   end
   local copy = ModifyInstance(instanceId, REPLACE, REMOVE, true)
   Delete(SendToModality(copy, TARGET))
   Delete(instanceId)
end

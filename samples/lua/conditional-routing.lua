-- Conditional routing by tag: CT images go to the CT archive, MR images to the MR workstation,
-- everything else stays here.
--
-- ROUTES maps a Modality (0008,0060) to the name of an entry of "DicomModalities". The tags given
-- to OnStoredInstance are the instance's tags by name, as /instances/{id}/simplified-tags shows them.

ROUTES = {
   CT = 'ct-archive',
   MR = 'mr-workstation',
}

function OnStoredInstance(instanceId, tags, metadata, origin)
   local target = ROUTES[tags['Modality']]
   if target ~= nil and origin['RequestOrigin'] ~= 'Lua' then
      print('Routing ' .. tags['Modality'] .. ' instance ' .. instanceId .. ' to ' .. target)
      Delete(SendToModality(instanceId, target))
   end
end

-- Forward with retry: route every instance to the PACS; when a send fails, try the job again at
-- the next heartbeat, up to MAX_ATTEMPTS times.
--
-- Needs "LuaHeartBeatPeriod" (seconds) in the configuration: it is the delay between attempts.
-- A failed routing job keeps its instance (DicomScript deletes only after a successful send), and
-- POST /jobs/{id}/resubmit runs the same job again.

TARGET = 'pacs'
MAX_ATTEMPTS = 5

attempts = {}   -- job ID -> attempts so far
toRetry = {}    -- job IDs waiting for the next heartbeat

function OnStoredInstance(instanceId, tags, metadata, origin)
   if origin['RequestOrigin'] ~= 'Lua' then
      Delete(SendToModality(instanceId, TARGET))
   end
end

function OnJobFailure(jobId)
   local job = ParseJson(RestApiGet('/jobs/' .. jobId))
   if job == nil or job['Type'] ~= 'SequenceOfOperations' then
      return  -- only the routing jobs of this script
   end
   local done = (attempts[jobId] or 0) + 1
   attempts[jobId] = done
   if done < MAX_ATTEMPTS then
      print('Routing job ' .. jobId .. ' failed (attempt ' .. done .. '): ' .. (job['ErrorDescription'] or '') .. '; will retry')
      table.insert(toRetry, jobId)
   else
      print('Routing job ' .. jobId .. ' failed ' .. done .. ' times; giving up')
   end
end

function OnJobSuccess(jobId)
   attempts[jobId] = nil
end

function OnHeartBeat()
   local waiting = toRetry
   toRetry = {}
   for _, jobId in ipairs(waiting) do
      RestApiPost('/jobs/' .. jobId .. '/resubmit', '')
   end
end

-- Housekeeping on the heartbeat: delete the studies that received nothing for KEEP_DAYS days,
-- except those of protected patients (PUT /patients/{id}/protected).
--
-- Needs "LuaHeartBeatPeriod" (seconds) in the configuration, e.g. 3600 for hourly. Each beat
-- lists every study: fine for thousands of studies; for more, page /studies?limit=...&since=...

KEEP_DAYS = 30

function OnHeartBeat()
   -- LastUpdate is an Orthanc timestamp (UTC, YYYYMMDDTHHMMSS): the text compares as the time.
   local cutoff = os.date('!%Y%m%dT%H%M%S', os.time() - KEEP_DAYS * 24 * 3600)
   for _, studyId in ipairs(ParseJson(RestApiGet('/studies')) or {}) do
      local lastUpdate = RestApiGet('/studies/' .. studyId .. '/metadata/LastUpdate')
      local study = ParseJson(RestApiGet('/studies/' .. studyId))
      if lastUpdate ~= nil and lastUpdate < cutoff and study ~= nil
         and RestApiGet('/patients/' .. study['ParentPatient'] .. '/protected') ~= '1' then
         print('Housekeeping: deleting study ' .. studyId .. ' (last update ' .. lastUpdate .. ')')
         RestApiDelete('/studies/' .. studyId)
      end
   end
end

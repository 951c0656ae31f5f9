-- Webhook on a complete study: once a study has received no new instance for "StableAge"
-- seconds, POST a JSON summary of it to a web service (a RIS, a reporting queue...).
--
-- HttpPost gives the service's answer (nil when it cannot be reached); SetHttpTimeout and
-- SetHttpCredentials apply to every Http* call after them.

WEBHOOK_URL = 'http://localhost:8000/study-complete'

function OnStableStudy(studyId, tags, metadata)
   local study = ParseJson(RestApiGet('/studies/' .. studyId))
   if study == nil then
      return  -- deleted meanwhile
   end
   -- keepStrings (true): every value is written as a string, so a StudyDate or an AccessionNumber
   -- made of digits is not turned into a number.
   local body = DumpJson({
      ID = studyId,
      StudyInstanceUID = tags['StudyInstanceUID'],
      AccessionNumber = tags['AccessionNumber'],
      StudyDate = tags['StudyDate'],
      PatientID = study['PatientMainDicomTags']['PatientID'],
      SeriesCount = #study['Series'],
   }, true)
   local answer = HttpPost(WEBHOOK_URL, body, { ['Content-Type'] = 'application/json' })
   if answer == nil then
      print('Webhook for study ' .. studyId .. ' failed: ' .. WEBHOOK_URL .. ' cannot be reached')
   end
end

-- C-FIND query fixing: repair the queries of modalities whose C-FIND does not fit the archive.
--
-- The query arrives as a table of "gggg,eeee" -> value (0008,0052 is the level); the table
-- returned is the query run instead. It decides both what matches and which keys are answered.

-- An old scanner types names without wildcards: make its PatientName a prefix search.
PREFIX_SEARCH_AETS = { OLDSCANNER = true }

function IncomingFindRequestFilter(query, origin)
   -- A private key some modalities add: as a constraint it would match nothing here.
   query['5555,0010'] = nil

   local name = query['0010,0010']
   if PREFIX_SEARCH_AETS[origin['RemoteAet']] and name ~= nil and name ~= '' and string.find(name, '*', 1, true) == nil then
      query['0010,0010'] = name .. '*'
   end
   return query
end

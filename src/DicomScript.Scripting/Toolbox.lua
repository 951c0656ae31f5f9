-- DicomScript's Lua toolbox, run before the administrator's scripts. It defines the global helpers
-- Orthanc scripts expect, in Lua because they only shape arguments; the work is done by the C#
-- functions of the `native` table this chunk receives, which stay out of the global namespace.
local native = ...

-- print: arguments through tostring, joined with ", " (Orthanc's format: no separator while the
-- line is still empty, so print('', 'a') gives "a"), to the log and to /tools/execute-script's output.
function print(...)
  local line = ''
  for position = 1, select('#', ...) do
    if line ~= '' then
      line = line .. ', '
    end
    line = line .. tostring((select(position, ...)))
  end
  native.Print(line)
end

-- PrintRecursive(value [, limit [, indent]]): one line per leaf, "<indent>[key]..., <type>, <value>",
-- at most `limit` (100) items; returns how many are left, negative once the limit was hit.
function PrintRecursive(value, limit, indent)
  limit = limit or 100
  indent = indent or ''
  if limit < 1 then
    print('ERROR: Item limit reached.')
    return limit - 1
  end
  local kind = type(value)
  if kind ~= 'table' then
    print(indent, kind, value)
    return limit - 1
  end
  print(indent, kind)
  for key, item in pairs(value) do
    limit = PrintRecursive(item, limit, indent .. '\t[' .. tostring(key) .. ']')
    if limit < 0 then
      break
    end
  end
  return limit
end

-- Routing helpers. Inside OnStoredInstance and OnStable* they record operations in _job; when the
-- callback returns, the engine turns them into one SequenceOfOperations job. A helper returns the
-- resource it worked on, so calls chain: Delete(SendToModality(ModifyInstance(id, ...), 'pacs'))
-- sends the modified instance, then deletes it. Elsewhere (execute-script, other callbacks) there
-- is no job and the records are dropped, as in Orthanc.
local function record(operation)
  if _job ~= nil then
    table.insert(_job, operation)
  end
end

function SendToModality(resourceId, modality, localAet)
  if resourceId == nil then
    error('Cannot send a nonexistent resource')
  end
  record({ Operation = 'store-scu', Resource = resourceId, Modality = modality, LocalAet = localAet })
  return resourceId
end

function SendToPeer(resourceId, peer)
  if resourceId == nil then
    error('Cannot send a nonexistent resource')
  end
  record({ Operation = 'store-peer', Resource = resourceId, Peer = peer })
  return resourceId
end

-- The modified instance is stored; '' stands for it in the next operation of the chain.
function ModifyResource(resourceId, replacements, removals, removePrivateTags)
  if resourceId == nil then
    error('Cannot modify a nonexistent resource')
  end
  if resourceId == '' then
    error('Cannot modify twice an resource')
  end
  record({ Operation = 'modify', Resource = resourceId, Replace = replacements, Remove = removals,
           RemovePrivateTags = removePrivateTags })
  return ''
end

ModifyInstance = ModifyResource

-- Returns nil: nothing can follow a deletion.
function Delete(resourceId)
  if resourceId == nil then
    error('Cannot delete a nonexistent resource')
  end
  record({ Operation = 'delete', Resource = resourceId })
  return nil
end

-- Runs `command args... <copy of the DICOM file>`.
function CallSystem(resourceId, command, args)
  if resourceId == nil then
    error('Cannot execute a system call on a nonexistent resource')
  end
  if command == nil then
    error('No command was specified for system call')
  end
  record({ Operation = 'call-system', Resource = resourceId, Command = command, Arguments = args })
  return resourceId
end

function _InitializeJob()
  _job = {}
end

function _AccessJob()
  return _job
end

-- Called by the engine for OnStoredInstance and OnStable*: runs the callback with a fresh job and
-- returns the operations it recorded.
function _RunRoutingCallback(name, ...)
  _InitializeJob()
  _G[name](...)
  local operations = _job
  _job = nil
  return operations
end

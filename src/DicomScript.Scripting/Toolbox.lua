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

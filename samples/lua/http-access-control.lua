-- HTTP access control: everyone who may log in can read; only ADMINS may change anything.
--
-- Runs before every GET, POST, PUT and DELETE of the REST API (a false answer is an empty 403).
-- With "AuthenticationEnabled", username is the HTTP Basic user; Lua's RestApi* calls skip it.

ADMINS = { admin = true }

function IncomingHttpRequestFilter(method, uri, ip, username, httpHeaders)
   if method == 'GET' then
      return true
   end
   return ADMINS[username] == true
end

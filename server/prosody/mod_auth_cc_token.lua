-- Lets a host site log its users in with short-lived signed tokens instead of passwords.
-- The token is a JWT (HS256) with claims { jid, exp }, sent as the SASL PLAIN password over
-- wss/loopback - the same token ejabberd's built-in `auth_method: jwt` accepts, so a host site's
-- endpoint works unchanged with either server. Anything that is not a token falls through to
-- Prosody's internal_plain store, so ordinary accounts keep working.
--
--   authentication = "cc_token"
--   cc_token_secret = "<at least 32 characters, shared with the host site's token endpoint>"
--   cc_token_fallback = "internal_hashed" -- where ordinary passwords are checked (the default)
local base64 = require "util.encodings".base64;
local hashes = require "util.hashes";
local json = require "util.json";
local jid_bare = require "util.jid".bare;
local new_sasl = require "util.sasl".new;

local host = module.host;
local secret = module:get_option_string("cc_token_secret");
if not secret or #secret < 32 then
	module:log("error", "cc_token_secret must be set to at least 32 characters; tokens are refused");
	secret = nil;
end

local fallback = module:get_option_string("cc_token_fallback", "internal_hashed");
module:depends("auth_" .. fallback);
local inner;
for _, p in ipairs(module:get_host_items("auth-provider")) do
	if p.name == fallback then inner = p; end
end
assert(inner, "auth provider " .. fallback .. " not found");

local function b64url_decode(s)
	if not s or s:find("[^%w%-_]") then return nil; end
	s = s:gsub("%-", "+"):gsub("_", "/");
	return base64.decode(s .. string.rep("=", (4 - #s % 4) % 4));
end

-- Returns true for a valid, unexpired token for this user; nil, reason otherwise.
local function verify_token(username, token)
	if not secret then return nil, "token login not configured"; end
	local h, p, s = token:match("^([%w%-_]+)%.([%w%-_]+)%.([%w%-_]+)$");
	if not h then return nil, "not a token"; end
	local header = json.decode(b64url_decode(h) or "");
	if type(header) ~= "table" or header.alg ~= "HS256" then return nil, "unsupported token"; end
	local sig = b64url_decode(s);
	if not sig or not hashes.equals(sig, hashes.hmac_sha256(secret, h .. "." .. p)) then
		return nil, "bad token signature";
	end
	local claims = json.decode(b64url_decode(p) or "");
	if type(claims) ~= "table" or type(claims.exp) ~= "number" or type(claims.jid) ~= "string" then
		return nil, "malformed token";
	end
	if claims.exp <= os.time() then return nil, "token expired"; end
	if jid_bare(claims.jid) ~= username .. "@" .. host then return nil, "token is for another account"; end
	return true;
end

local function is_token(password)
	return password:match("^[%w%-_]+%.[%w%-_]+%.[%w%-_]+$") ~= nil;
end

-- Everything but checking a password is the fallback's job (users, registration, password change).
-- Copied, not inherited: the user manager replaces the provider's metatable with its own.
local provider = { name = "cc_token" };
for k, v in pairs(inner) do
	if type(v) == "function" then provider[k] = v; end
end

function provider.test_password(username, password)
	if is_token(password) then
		local ok, err = verify_token(username, password);
		if not ok then module:log("debug", "token refused for %s: %s", username, err); end
		return ok, err;
	end
	return inner.test_password(username, password);
end

function provider.get_sasl_handler(session)
	local profile = {
		plain_test = function(_, username, password)
			return provider.test_password(username, password), true;
		end;
	};
	-- Keep the fallback's SCRAM where it has one (internal_hashed); PLAIN must come to us, so its
	-- own "plain" (which SCRAM over internal_plain needs too) is left out.
	local inner_profile = inner.get_sasl_handler(session).profile;
	for k, v in pairs(inner_profile) do
		if k ~= "plain" and k ~= "plain_test" and k ~= "mechanisms" then profile[k] = v; end
	end
	return new_sasl(host, profile);
end

module:provides("auth", provider);

-- Adds to XEP-0357 push summaries (mod_cloud_notify) what a Web Push notification needs and the
-- summary form lacks: x-cc-kind (message | call), x-cc-video (for calls) and x-cc-type (the message
-- type: chat, groupchat, normal). The push bridge reads these fields; other app servers ignore them.
local st = require "util.stanza";

local xmlns_jmi = "urn:xmpp:jingle-message:0";
local xmlns_rtp = "urn:xmpp:jingle:apps:rtp:1";

module:hook("cloud_notify/push", function (event)
	local stanza = event.original_stanza;
	if not stanza or stanza.name ~= "message" then return; end
	local carbon = stanza:find("{urn:xmpp:carbons:2}/{urn:xmpp:forward:0}/{jabber:client}message");
	if carbon then stanza = carbon; end
	local form = event.notification_payload and event.notification_payload:get_child("x", "jabber:x:data");
	if not form then return; end
	local function add(var, value)
		form:add_direct_child(st.stanza("field", { var = var }):tag("value"):text(value):up());
	end
	local propose = stanza:get_child("propose", xmlns_jmi);
	if propose then
		local video = false;
		for desc in propose:childtags("description", xmlns_rtp) do
			if desc.attr.media == "video" then video = true; end
		end
		add("x-cc-kind", "call");
		add("x-cc-video", video and "true" or "false");
	end
	add("x-cc-type", stanza.attr.type or "normal");
end);

// Short-lived login tokens for `credentials-url`: a JWT (HS256) with { jid, exp }, verified by the
// XMPP server itself (Prosody: server/prosody/mod_auth_cc_token.lua; ejabberd: `auth_method: jwt`).
import { createHmac } from 'node:crypto';

const b64url = (/** @type {Buffer | string} */ b) => Buffer.from(b).toString('base64url');

/** @param {string} jid @param {string} secret @param {number} ttlSeconds */
export function signToken(jid, secret, ttlSeconds = 300, now = Date.now()) {
  const head = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const body = b64url(JSON.stringify({ jid, exp: Math.floor(now / 1000) + ttlSeconds }));
  const sig = b64url(createHmac('sha256', secret).update(`${head}.${body}`).digest());
  return `${head}.${body}.${sig}`;
}

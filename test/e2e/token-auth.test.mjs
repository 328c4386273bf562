// The server side of token login: what Prosody with mod_auth_cc_token accepts and refuses.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import { signToken } from '../../server/token.mjs';
import { newAccount, rawClient, stack } from '../support/e2e.mjs';

/** Resolves with the bound JID, or rejects with the SASL condition. */
async function login(user, password) {
  const r = await rawClient({ user, password }, { available: false }).catch((e) => {
    throw new Error(e.condition ?? String(e));
  });
  const jid = r.x.jid?.bare().toString();
  await r.stop();
  return jid;
}

const b64 = (/** @type {object} */ o) => Buffer.from(JSON.stringify(o)).toString('base64url');
function forge(header, claims, secret = stack.secrets.token) {
  const h = b64(header);
  const p = b64(claims);
  return `${h}.${p}.${createHmac('sha256', secret).update(`${h}.${p}`).digest('base64url')}`;
}

describe('token login on Prosody (mod_auth_cc_token)', () => {
  it('accepts a valid token for its own account, and passwords still work', async () => {
    const a = newAccount('tok');
    assert.equal(await login(a.user, signToken(a.jid, stack.secrets.token, 60)), a.jid);
    assert.equal(await login(a.user, a.password), a.jid);
  });

  it('refuses expired, foreign, unsigned, re-signed and tampered tokens', async () => {
    const a = newAccount('tok');
    const b = newAccount('tok');
    const exp = Math.floor(Date.now() / 1000) + 60;
    const valid = signToken(b.jid, stack.secrets.token, 60);
    const [h, , s] = valid.split('.');
    const refused = {
      expired: signToken(a.jid, stack.secrets.token, -1),
      'for another account': valid,
      'alg none': `${b64({ alg: 'none' })}.${b64({ jid: a.jid, exp })}.`,
      'wrong secret': forge({ alg: 'HS256' }, { jid: a.jid, exp }, 'some-other-secret-of-at-least-32-chars'),
      'payload swapped under a valid signature': `${h}.${b64({ jid: a.jid, exp })}.${s}`,
      'no expiry': forge({ alg: 'HS256' }, { jid: a.jid }),
    };
    for (const [what, token] of Object.entries(refused)) {
      await assert.rejects(login(a.user, token), /not-authorized/, what);
    }
  });
});

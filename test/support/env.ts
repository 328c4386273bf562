// Test helpers running in the browser page: accounts on the harness's Prosody, waiting for conditions.
import { makeContacts } from '../../server/contacts.mjs';

declare global {
  // Injected by web-test-runner.config.mjs.
  var CC_TEST: { service: string; domain: string };
}

export const { service, domain } = globalThis.CC_TEST;

export interface Account { user: string; jid: string; password: string }

let n = 0;
export const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${(n++).toString(36)}${Math.random().toString(36).slice(2, 6)}`;

/** Registers a fresh account by in-band registration (XEP-0077), so tests never share state. */
export async function newAccount(prefix = 'u'): Promise<Account> {
  const user = unique(prefix);
  const password = `pw-${user}`;
  const ws = new WebSocket(service, 'xmpp');
  try {
    await new Promise<void>((resolve, reject) => {
      ws.onerror = () => reject(new Error('registration socket failed'));
      ws.onopen = () => ws.send(`<open xmlns="urn:ietf:params:xml:ns:xmpp-framing" to="${domain}" version="1.0"/>`);
      let sent = false;
      ws.onmessage = (e) => {
        const data = String(e.data);
        if (!sent && /features/.test(data)) {
          sent = true;
          ws.send(`<iq type="set" id="reg" xmlns="jabber:client"><query xmlns="jabber:iq:register"><username>${user}</username><password>${password}</password></query></iq>`);
        } else if (/id=["']reg["']/.test(data)) {
          if (/type=["']result["']/.test(data)) resolve();
          else reject(new Error(`registration failed: ${data}`));
        }
      };
    });
  } finally {
    ws.close();
  }
  return { user, jid: `${user}@${domain}`, password };
}

/** Makes accounts mutual contacts (both subscribed), as if each had accepted the other's request. */
export async function befriend(...accounts: Account[]): Promise<void> {
  const sessions = await makeContacts(service, domain, accounts, unique('setup'));
  await Promise.all(sessions.map((s) => s.x.stop()));
}

/** Polls `fn` until it returns a truthy value; fails with `what` after `timeout` ms. */
export async function waitFor<T>(fn: () => T | Promise<T>, what: string, timeout = 10_000): Promise<NonNullable<T>> {
  const deadline = performance.now() + timeout;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v as NonNullable<T>;
    } catch (e) {
      last = e;
    }
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? ` (${last})` : ''}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

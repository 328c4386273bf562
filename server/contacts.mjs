// Makes accounts mutual contacts over XMPP. Used by the demo seed and by tests (Node and browser).
import { client, xml } from '@xmpp/client';

/**
 * Logs the accounts in and makes every pair mutual contacts. Returns the logged-in clients; the
 * caller stops them.
 * @param {string} service @param {string} domain
 * @param {{ user: string, password: string, name?: string }[]} accounts
 */
export async function makeContacts(service, domain, accounts, resource = 'setup') {
  const sessions = await Promise.all(accounts.map(async (u) => {
    const x = client({ service, domain, username: u.user, password: u.password, resource });
    x.on('error', () => {});
    await x.start();
    return { ...u, x, jid: `${u.user}@${domain}` };
  }));
  for (const a of sessions) {
    const others = sessions.filter((b) => b !== a);
    for (const b of others) {
      await a.x.iqCaller.request(xml('iq', { type: 'set' },
        xml('query', { xmlns: 'jabber:iq:roster' }, xml('item', { jid: b.jid, ...(b.name ? { name: b.name } : {}) }))));
    }
    // Pre-approve, then subscribe: the server completes both directions without anyone online to click.
    for (const b of others) await a.x.send(xml('presence', { to: b.jid, type: 'subscribed' }));
  }
  for (const a of sessions) {
    for (const b of sessions) if (a !== b) await a.x.send(xml('presence', { to: b.jid, type: 'subscribe' }));
  }
  // Rosters settle asynchronously on the server; a round trip per session flushes them.
  await Promise.all(sessions.map((s) => s.x.iqCaller.request(xml('iq', { type: 'get' }, xml('query', { xmlns: 'jabber:iq:roster' })))));
  return sessions;
}


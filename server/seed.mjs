// Seeds the demo stack: users alice, bob, carol who are mutual contacts, and the persistent rooms
// the demo pages use (owned by alice): the lobby, a meeting room and one room per product.
// Runs over XMPP (needs Node's WebSocket: start node with --experimental-websocket).
import { xml } from '@xmpp/client';
import { makeContacts } from './contacts.mjs';
import { DEMO_ROOM, DEMO_USERS } from './devstack.mjs';

/** Every seeded room: demo/*.html refer to these addresses. */
export const DEMO_ROOMS = [
  { jid: DEMO_ROOM, name: 'Lobby' },
  { jid: 'meeting@conference.localhost', name: 'Weekly meeting' },
  { jid: 'product-lamp@conference.localhost', name: 'Desk lamp' },
  { jid: 'product-chair@conference.localhost', name: 'Oak chair' },
  { jid: 'product-kettle@conference.localhost', name: 'Kettle' },
];

/** @param {ReturnType<typeof import('./devstack.mjs').createStack>} stack */
export async function seedDemo(stack) {
  for (const u of DEMO_USERS) {
    try {
      stack.prosodyctl(['register', u.user, stack.domain, u.password]);
    } catch (e) {
      if (!/exists/i.test(String(e))) throw e;
    }
  }
  const sessions = await makeContacts(stack.service, stack.domain, DEMO_USERS, 'seed');
  const owner = sessions[0].x;
  for (const room of DEMO_ROOMS) await configureRoom(owner, room);
  await Promise.all(sessions.map((s) => s.x.stop()));
}

/** Joins (creating it if new) and makes the room persistent, public and archived. */
async function configureRoom(owner, { jid, name }) {
  const joined = new Promise((resolve) => {
    const onStanza = (s) => {
      if (!s.is('presence') || !s.attrs.from?.startsWith(`${jid}/`)) return;
      owner.removeListener('stanza', onStanza);
      resolve(undefined);
    };
    owner.on('stanza', onStanza);
  });
  await owner.send(xml('presence', { to: `${jid}/alice` }, xml('x', { xmlns: 'http://jabber.org/protocol/muc' })));
  await joined;
  await owner.iqCaller.request(xml('iq', { type: 'set', to: jid },
    xml('query', { xmlns: 'http://jabber.org/protocol/muc#owner' },
      xml('x', { xmlns: 'jabber:x:data', type: 'submit' },
        field('FORM_TYPE', 'http://jabber.org/protocol/muc#roomconfig'),
        field('muc#roomconfig_roomname', name),
        field('muc#roomconfig_persistentroom', '1'),
        field('muc#roomconfig_publicroom', '1'),
        field('muc#roomconfig_enablearchiving', '1')))));
}

/** @param {string} name @param {string} value */
function field(name, value) {
  return xml('field', { var: name }, xml('value', {}, value));
}

// Seeds the demo stack: users alice, bob, carol who are mutual contacts, and a persistent lobby room.
// Runs over XMPP (needs Node's WebSocket: start node with --experimental-websocket).
import { xml } from '@xmpp/client';
import { makeContacts } from './contacts.mjs';
import { DEMO_ROOM, DEMO_USERS } from './devstack.mjs';

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
  const joined = new Promise((resolve) => {
    owner.on('stanza', (s) => {
      if (s.is('presence') && s.attrs.from?.startsWith(`${DEMO_ROOM}/`)) resolve(undefined);
    });
  });
  await owner.send(xml('presence', { to: `${DEMO_ROOM}/alice` }, xml('x', { xmlns: 'http://jabber.org/protocol/muc' })));
  await joined;
  await owner.iqCaller.request(xml('iq', { type: 'set', to: DEMO_ROOM },
    xml('query', { xmlns: 'http://jabber.org/protocol/muc#owner' },
      xml('x', { xmlns: 'jabber:x:data', type: 'submit' },
        field('FORM_TYPE', 'http://jabber.org/protocol/muc#roomconfig'),
        field('muc#roomconfig_roomname', 'Lobby'),
        field('muc#roomconfig_persistentroom', '1'),
        field('muc#roomconfig_publicroom', '1')))));
  await Promise.all(sessions.map((s) => s.x.stop()));
}

/** @param {string} name @param {string} value */
function field(name, value) {
  return xml('field', { var: name }, xml('value', {}, value));
}

// Stream management (XEP-0198) bookkeeping against the real server: what the server believes we
// received must match what we did.
import { expect } from '@open-wc/testing';
import { Connection } from '../../src/core/connection.js';
import { xml } from '../../src/core/xmpp.js';
import { domain, newAccount, service, unique, waitFor } from '../support/env.js';
import { serverUnacked } from '../support/server.js';

const ping = () => xml('iq', { type: 'get', to: domain }, xml('ping', { xmlns: 'urn:xmpp:ping' }));

describe('stream management', () => {
  it('acknowledges the results of its own requests, so the server holds nothing unacknowledged', async () => {
    const alice = await newAccount('alice');
    const conn = new Connection({ service, domain, login: { kind: 'password', jid: alice.jid, password: alice.password } }, unique('sm'));
    try {
      await conn.start();
      await waitFor(() => conn.online && conn.streamManagement?.enabled, 'online with stream management');
      for (let i = 0; i < 30; i++) await conn.request(ping());
      // The server asks for an ack after what it sends; only if every result was counted does its
      // queue of unacknowledged stanzas empty. (It used to keep one per request, forever.)
      await waitFor(async () => (await serverUnacked(conn.jid)) === 0, 'the server to see every stanza acknowledged');
      expect(await serverUnacked(conn.jid)).to.equal(0);
    } finally {
      await conn.stop();
    }
  });
});

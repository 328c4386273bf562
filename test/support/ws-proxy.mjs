// A TCP proxy on loopback between the browser and Prosody's HTTP/WebSocket port, for fault
// injection: it can cut every link at once (the browser sees its socket die, with no closing
// handshake), refuse new links (the network is down), or hold them unanswered (a socket that
// never opens), and then let them through again.
import { connect, createServer } from 'node:net';

/** @param {number} targetPort Prosody's HTTP port on 127.0.0.1 */
export async function startProxy(targetPort) {
  /** @type {Set<import('node:net').Socket>} */
  const live = new Set();
  /** @type {Set<import('node:net').Socket>} */
  const held = new Set();
  /** @type {'open' | 'refuse' | 'hold'} */
  let mode = 'open';
  let links = 0;

  const pass = (/** @type {import('node:net').Socket} */ client) => {
    links++;
    const upstream = connect(targetPort, '127.0.0.1');
    live.add(client);
    live.add(upstream);
    const end = () => {
      for (const s of [client, upstream]) {
        live.delete(s);
        s.destroy();
      }
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
    // Bytes the client sent while held are still buffered in its socket: piping forwards them.
    client.pipe(upstream);
    upstream.pipe(client);
  };

  const server = createServer((client) => {
    if (mode === 'refuse') return void client.destroy();
    if (mode === 'hold') {
      held.add(client);
      client.on('error', () => held.delete(client)).on('close', () => held.delete(client));
      return;
    }
    pass(client);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', () => r(undefined)));
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());

  return {
    port,
    /** The WebSocket URL to give the browser instead of Prosody's. */
    service: `ws://localhost:${port}/xmpp-websocket`,
    /** Links made through the proxy so far. */
    get links() { return links; },
    /** Links open now. */
    get active() { return live.size / 2; },
    /** Kills every open link, abruptly (a reset, as when the network goes). */
    cut() {
      for (const s of [...live]) s.resetAndDestroy();
      live.clear();
    },
    /** New links fail at once until open(). */
    refuse() { mode = 'refuse'; },
    /** New links are accepted and left unanswered until open(). */
    hold() { mode = 'hold'; },
    /** Links go through again, held ones included. */
    open() {
      mode = 'open';
      for (const c of [...held]) {
        held.delete(c);
        if (!c.destroyed) pass(c);
      }
    },
    async close() {
      this.cut();
      for (const c of [...held]) c.destroy();
      await new Promise((r) => server.close(() => r(undefined)));
    },
  };
}

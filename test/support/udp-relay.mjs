// A UDP hop on loopback in front of a UDP server (here: the TURN server), which a test can cut and
// restore: a real drop of the media path, without touching the machine's network.
import dgram from 'node:dgram';

/** Forwards datagrams to 127.0.0.1:`targetPort`, one upstream socket per client; `cut` drops them all. */
export async function udpRelay(/** @type {number} */ targetPort) {
  const front = dgram.createSocket('udp4');
  /** @type {Map<string, import('node:dgram').Socket>} */
  const upstream = new Map();
  let cut = false;
  front.on('message', (msg, from) => {
    if (cut) return;
    const key = `${from.address}:${from.port}`;
    let up = upstream.get(key);
    if (!up) {
      const u = dgram.createSocket('udp4');
      u.on('message', (m) => { if (!cut) front.send(m, from.port, from.address); });
      u.bind(0, '127.0.0.1');
      upstream.set(key, u);
      up = u;
    }
    up.send(msg, targetPort, '127.0.0.1');
  });
  await new Promise((resolve) => front.bind(0, '127.0.0.1', () => resolve(undefined)));
  return {
    port: front.address().port,
    /** Drops everything in both directions while true. */
    set cut(v) { cut = v; },
    close() {
      for (const u of upstream.values()) u.close();
      front.close();
    },
  };
}

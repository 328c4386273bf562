// Who the user blocked (XEP-0191), kept in sync with the server and the user's other devices.
// The server stops their messages and presence; this list lets the UI hide what is already here
// (archive, room messages) and show the state.
import { atom } from 'nanostores';
import type { Connection } from './connection.js';
import { blockItems, blocklistRequest, blockRequest, BLOCKING, unblockRequest, type Report } from './protocol/blocking.js';

export class Blocking {
  readonly $blocked = atom<ReadonlySet<string>>(new Set());

  constructor(private readonly conn: Connection) {
    // A stream resumed from the page before a reload kept the server's pushes coming, but this page
    // has not read the list yet.
    let loaded = false;
    conn.onOnline(async (resumed) => {
      if (resumed && loaded) return;
      const res = await conn.request(blocklistRequest()).catch(() => null);
      if (!res) return;
      loaded = true;
      this.$blocked.set(new Set(blockItems(res.getChild('blocklist', BLOCKING))));
    });
    // Pushes from the server when any of our devices changes the list.
    conn.onIq('set', BLOCKING, 'block', (iq) => {
      this.$blocked.set(new Set([...this.$blocked.get(), ...blockItems(iq.getChild('block', BLOCKING))]));
      return true;
    });
    conn.onIq('set', BLOCKING, 'unblock', (iq) => {
      const gone = blockItems(iq.getChild('unblock', BLOCKING));
      this.$blocked.set(gone.length ? new Set([...this.$blocked.get()].filter((j) => !gone.includes(j))) : new Set());
      return true;
    });
  }

  has(jid: string): boolean {
    return this.$blocked.get().has(jid.toLowerCase());
  }

  /** Blocks `jid`, optionally reporting them (and some of their messages) to the server's admins. */
  async block(jid: string, report?: Report) {
    await this.conn.request(blockRequest(jid, report));
    this.$blocked.set(new Set([...this.$blocked.get(), jid.toLowerCase()]));
  }

  async unblock(jid: string) {
    await this.conn.request(unblockRequest(jid));
    this.$blocked.set(new Set([...this.$blocked.get()].filter((j) => j !== jid.toLowerCase())));
  }
}

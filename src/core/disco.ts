// What this client supports, answered to disco#info queries and advertised as caps in presence.
// Modules add their features (calls add Jingle when loaded); a change re-announces our presence.
import type { Connection } from './connection.js';
import { capsElement, capsVer, CAPS_NODE, DISCO_INFO, discoInfoResult, type Identity } from './protocol/disco.js';
import { NS, xml, type Element } from './xmpp.js';

const IDENTITY: Identity = { category: 'client', type: 'web', name: 'cc' };

/** What the core itself handles. */
export const CORE_FEATURES = [
  DISCO_INFO, NS.receipts, NS.markers, NS.chatStates, NS.muc, NS.sid, NS.carbons,
  'http://jabber.org/protocol/caps', 'urn:xmpp:message-correct:0', 'jabber:x:conference', 'urn:xmpp:idle:1',
];

export class Disco {
  private readonly features = new Set<string>(CORE_FEATURES);
  private readonly listeners = new Set<() => void>();
  private ver?: Promise<string>;

  constructor(conn: Connection) {
    conn.onIq('get', DISCO_INFO, 'query', async (iq) => {
      const node = iq.getChild('query', DISCO_INFO)?.attrs.node as string | undefined;
      // We answer for our own caps node (any ver we ever announced is the current one: the
      // server asks right after we announce it) and for no node at all.
      if (node && !node.startsWith(`${CAPS_NODE}#`)) {
        return xml('error', { type: 'cancel' }, xml('item-not-found', { xmlns: 'urn:ietf:params:xml:ns:xmpp-stanzas' }));
      }
      return discoInfoResult([IDENTITY], this.features, node);
    });
  }

  /** Adds features (e.g. `urn:xmpp:avatar:metadata+notify`); presence is re-sent if they are new. */
  add(...features: string[]) {
    const before = this.features.size;
    for (const f of features) this.features.add(f);
    if (this.features.size === before) return;
    this.ver = undefined;
    for (const l of this.listeners) l();
  }

  has(feature: string): boolean {
    return this.features.has(feature);
  }

  onChange(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** The `<c/>` element for our presence. */
  async caps(): Promise<Element> {
    this.ver ??= capsVer([IDENTITY], this.features);
    return capsElement(await this.ver);
  }
}

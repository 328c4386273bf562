// The roster (RFC 6121): contacts, subscription requests, presence of contacts, last seen.
import { atom, map } from 'nanostores';
import type { Connection } from './connection.js';
import { lastActivityQuery, parseLastActivity } from './protocol/last-activity.js';
import { bestPresence, parsePresence, type PresenceInfo } from './protocol/presence.js';
import {
  parseRosterItems, parseRosterPush, parseSubscription, rosterGet, rosterSet, subscriptionPresence, type RosterItem,
} from './protocol/roster.js';
import type { Element } from './xmpp.js';

export interface SubscriptionRequest {
  jid: string;
  nick?: string;
}

export class Contacts {
  readonly $roster = map<Record<string, RosterItem>>({});
  readonly $presence = map<Record<string, PresenceInfo>>({});
  readonly $requests = atom<readonly SubscriptionRequest[]>([]);
  /** XEP-0172 names people gave themselves: shown for those the roster does not name (guests, strangers). */
  readonly $nicks = map<Record<string, string>>({});
  /** Presence per contact and resource; the best of each is in $presence. */
  readonly resources = new Map<string, Map<string, PresenceInfo>>();

  constructor(private readonly conn: Connection, onChange: () => void) {
    conn.onStanza((s) => this.onStanza(s));
    conn.onIq('set', 'jabber:iq:roster', 'query', (iq) => {
      const push = parseRosterPush(iq, this.conn.bare);
      for (const item of push ?? []) {
        if (item.subscription === 'remove') {
          const { [item.jid]: _gone, ...rest } = this.$roster.get();
          this.$roster.set(rest);
        } else {
          this.$roster.setKey(item.jid, item);
        }
      }
      return true;
    });
    conn.onOnline(async (resumed) => {
      if (resumed && this.loaded) return;
      // A fresh session: the server sends the presence of everyone online again.
      if (!resumed) this.forgetPresence();
      await this.refresh();
    });
    // Presence does not change the list's content or order (elements watch $presence themselves);
    // recomputing a 10,000-contact list for each presence at login would be wasted work.
    this.$roster.listen(onChange);
    this.$nicks.listen(onChange);
  }

  name(jid: string): string {
    return this.$roster.get()[jid]?.name || this.$nicks.get()[jid] || jid.split('@')[0]!;
  }

  /** What `jid` itself says it is called (only from stanzas the server says it sent). */
  learnNick(jid: string, nick: string | undefined) {
    if (nick && this.$nicks.get()[jid] !== nick) this.$nicks.setKey(jid, nick);
  }

  /** Whether the roster came from the server on this page. */
  loaded = false;

  async refresh() {
    const res = await this.conn.request(rosterGet());
    // A big roster arrives as one stanza whose parsing alone is a long task: what it leads to (the
    // list, the cache) goes in tasks of its own, so the page stays responsive.
    await new Promise((r) => setTimeout(r));
    const items = parseRosterItems(res.getChild('query', 'jabber:iq:roster'));
    this.loaded = true;
    this.$roster.set(Object.fromEntries(items.map((i) => [i.jid, i])));
  }

  private forgetPresence() {
    this.resources.clear();
    const kept: Record<string, PresenceInfo> = {};
    for (const [jid, p] of Object.entries(this.$presence.get())) if (p) kept[jid] = { show: 'offline', lastSeen: p.lastSeen };
    this.$presence.set(kept);
  }

  /** Adds a contact and asks to see their presence. */
  async add(jid: string, name?: string) {
    await this.conn.request(rosterSet(jid, name));
    await this.conn.send(subscriptionPresence(jid, 'subscribe'));
  }

  async remove(jid: string) {
    await this.conn.request(rosterSet(jid, undefined, true));
  }

  /** Accepts a request: they see our presence, and we ask to see theirs. */
  async accept(jid: string) {
    this.dropRequest(jid);
    await this.conn.send(subscriptionPresence(jid, 'subscribed'));
    const item = this.$roster.get()[jid];
    if (!item || (item.subscription !== 'to' && item.subscription !== 'both')) {
      if (!item) await this.conn.request(rosterSet(jid));
      await this.conn.send(subscriptionPresence(jid, 'subscribe'));
    }
  }

  async decline(jid: string) {
    this.dropRequest(jid);
    await this.conn.send(subscriptionPresence(jid, 'unsubscribed'));
  }

  /** Asks the server when an offline contact was last active (XEP-0012). */
  async fetchLastSeen(jid: string) {
    try {
      const at = parseLastActivity(await this.conn.request(lastActivityQuery(jid), 5000));
      const p = this.$presence.get()[jid];
      if (at !== undefined && (!p || p.show === 'offline')) this.$presence.setKey(jid, { ...p, show: 'offline', lastSeen: at });
    } catch {
      // Not allowed or not supported: we just show no last-seen time.
    }
  }

  private dropRequest(jid: string) {
    this.$requests.set(this.$requests.get().filter((r) => r.jid !== jid));
  }

  private onStanza(s: Element): boolean {
    if (!s.is('presence')) return false;
    const sub = parseSubscription(s);
    if (sub) {
      if (sub.type === 'subscribe') {
        const item = this.$roster.get()[sub.from];
        // Someone we already asked (or share presence with) is answered at once.
        if (item && (item.subscription === 'to' || item.pending)) void this.conn.send(subscriptionPresence(sub.from, 'subscribed'));
        else if (!this.$requests.get().some((r) => r.jid === sub.from)) this.$requests.set([...this.$requests.get(), { jid: sub.from, nick: sub.nick }]);
      }
      return true;
    }
    const p = parsePresence(s);
    if (!p) return false;
    this.learnNick(p.bare, p.nick);
    let res = this.resources.get(p.bare);
    if (!res) this.resources.set(p.bare, (res = new Map()));
    if (p.info.show === 'offline') res.delete(p.resource);
    else res.set(p.resource, p.info);
    this.$presence.setKey(p.bare, bestPresence(res.values(), p.info.lastSeen ?? this.$presence.get()[p.bare]?.lastSeen));
    return true;
  }
}

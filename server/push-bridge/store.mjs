// Durable storage of the bridge: Web Push subscriptions and the VAPID key pair, in an embedded
// LevelDB (classic-level). Keys:
//   sub!<node>            → Subscription (JSON)
//   owner!<bare>!<node>   → '' (index: an account's subscriptions)
//   meta!vapid            → { publicKey, privateKey, created }
import { ClassicLevel } from 'classic-level';

/**
 * @typedef {{ endpoint: string, expirationTime?: number | null, keys: { p256dh: string, auth: string } }} PushSubscriptionJSON
 * @typedef {{ node: string, secret: string, owner: string, subscription: PushSubscriptionJSON,
 *   privacy: boolean, url?: string, created: number, updated: number }} Subscription
 * @typedef {{ publicKey: string, privateKey: string, created: number }} VapidKeys
 */

export class Store {
  /** @param {string} dir */
  constructor(dir) {
    /** @type {ClassicLevel<string, any>} */
    this.db = new ClassicLevel(dir, { valueEncoding: 'json' });
  }

  open() {
    return this.db.open();
  }

  close() {
    return this.db.close();
  }

  /** @param {string} node @returns {Promise<Subscription | undefined>} */
  async get(node) {
    return this.db.get(`sub!${node}`);
  }

  /** @param {Subscription} sub */
  async put(sub) {
    await this.db.batch([
      { type: 'put', key: `sub!${sub.node}`, value: sub },
      { type: 'put', key: `owner!${sub.owner}!${sub.node}`, value: '' },
    ]);
  }

  /** @param {string} node @returns {Promise<boolean>} whether it existed */
  async delete(node) {
    const sub = await this.get(node);
    if (!sub) return false;
    await this.db.batch([
      { type: 'del', key: `sub!${node}` },
      { type: 'del', key: `owner!${sub.owner}!${node}` },
    ]);
    return true;
  }

  /** An account's subscriptions, oldest first. @param {string} owner @returns {Promise<Subscription[]>} */
  async byOwner(owner) {
    const prefix = `owner!${owner}!`;
    /** @type {Subscription[]} */
    const subs = [];
    for await (const key of this.db.keys({ gte: prefix, lt: `${prefix}\xff` })) {
      const sub = await this.get(key.slice(prefix.length));
      if (sub) subs.push(sub);
    }
    return subs.sort((a, b) => a.created - b.created);
  }

  async count() {
    let n = 0;
    for await (const _ of this.db.keys({ gte: 'sub!', lt: 'sub!\xff' })) n++;
    return n;
  }

  /** @returns {Promise<VapidKeys | undefined>} */
  vapid() {
    return this.db.get('meta!vapid');
  }

  /** @param {VapidKeys} keys */
  setVapid(keys) {
    return this.db.put('meta!vapid', keys);
  }
}

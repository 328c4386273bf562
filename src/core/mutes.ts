// Conversations the user muted: no sound, no notification. Kept per account in this browser
// (localStorage, not secret) and shared live between the account's tabs.
import { atom } from 'nanostores';
import type { Connection } from './connection.js';

export class Mutes {
  readonly $muted = atom<ReadonlySet<string>>(new Set());
  private key?: string;

  constructor(conn: Connection) {
    // The account's address is certain only once logged in (credentials-url, guests).
    conn.onOnline(() => this.load(`cc:muted:${conn.bare}`));
    if (typeof window !== 'undefined') {
      window.addEventListener('storage', (e) => { if (this.key && e.key === this.key) this.load(this.key); });
    }
  }

  has(jid: string): boolean {
    return this.$muted.get().has(jid);
  }

  set(jid: string, muted: boolean) {
    const next = new Set(this.$muted.get());
    if (muted) next.add(jid);
    else next.delete(jid);
    this.$muted.set(next);
    if (this.key) {
      try {
        localStorage.setItem(this.key, JSON.stringify([...next]));
      } catch { /* storage full or blocked: the choice lasts for this page */ }
    }
  }

  private load(key: string) {
    this.key = key;
    let saved: unknown = [];
    try {
      saved = JSON.parse(localStorage.getItem(key) ?? '[]');
    } catch { /* unreadable: start empty */ }
    const list = Array.isArray(saved) ? saved.filter((j): j is string => typeof j === 'string') : [];
    // Mutes chosen before login (rare) are kept too.
    this.$muted.set(new Set([...this.$muted.get(), ...list]));
  }
}

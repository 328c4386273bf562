// What the next page of this tab needs to resume the stream (XEP-0198) after a reload, and what
// that stream had already told this page (presence, rooms): stanzas the server queues meanwhile
// bring it up to date. sessionStorage is per tab and ends with it. No credentials in it.
import type { Contacts, SubscriptionRequest } from '../contacts.js';
import type { PresenceInfo, Show } from '../protocol/presence.js';
import type { RoomState } from '../rooms.js';
import type { ResumeState } from './stream-resume.js';

export interface ContactsSnapshot {
  presence: Record<string, PresenceInfo>;
  resources: Record<string, Record<string, PresenceInfo>>;
  requests: readonly SubscriptionRequest[];
}

/** What the stream told us about contacts. */
export function contactsSnapshot(c: Contacts): ContactsSnapshot {
  const resources: ContactsSnapshot['resources'] = {};
  for (const [jid, res] of c.resources) resources[jid] = Object.fromEntries(res);
  return { presence: { ...c.$presence.get() }, resources, requests: c.$requests.get() };
}

export function restoreContacts(c: Contacts, s: ContactsSnapshot) {
  for (const [jid, res] of Object.entries(s.resources)) c.resources.set(jid, new Map(Object.entries(res)));
  c.$presence.set(s.presence);
  c.$requests.set(s.requests);
}

export interface Snapshot {
  sm: ResumeState;
  contacts: ContactsSnapshot;
  rooms: Record<string, RoomState>;
  own: { show: Show; status?: string };
}

const keyOf = (account: string) => `cc:resume:${account}`;

/** Reads and removes it: a snapshot is good for one page only. */
export function takeSnapshot(account: string): Snapshot | null {
  try {
    const raw = sessionStorage.getItem(keyOf(account));
    sessionStorage.removeItem(keyOf(account));
    return raw ? (JSON.parse(raw) as Snapshot) : null;
  } catch {
    return null;
  }
}

export function saveSnapshot(account: string, s: Snapshot): void {
  try {
    sessionStorage.setItem(keyOf(account), JSON.stringify(s));
  } catch {
    // Storage full or unavailable: the next page starts a fresh session instead.
  }
}

export function dropSnapshot(account: string): void {
  try {
    sessionStorage.removeItem(keyOf(account));
  } catch {
    // Nothing stored then.
  }
}

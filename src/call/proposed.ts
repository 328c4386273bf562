// A call that still rings according to the archive. A page opened from a call notification logs in
// after the caller's XEP-0353 propose went to another stream (the closed tab's), so it never sees the
// propose live; the propose and everything that ends a call are archived, so the page can tell.
import { foldCall, type CallRecord } from '../core/call-log.js';
import { bareOf, parseJmi, type JmiMessage } from '../core/protocol/jmi.js';
import type { ArchivedStanza } from '../core/protocol/mam.js';

/**
 * The newest call `peer` proposed to us within `maxAgeMs` before `now` that nobody has answered,
 * declined, cancelled or ended since (on any of our devices or theirs); undefined if none.
 */
export function stillProposed(items: readonly ArchivedStanza[], own: { bare: string; full: string }, peer: string, now: number, maxAgeMs: number): JmiMessage | undefined {
  const calls = new Map<string, { r: CallRecord; propose?: JmiMessage }>();
  for (const it of items) {
    const m = parseJmi(it.message, own.bare, own.full);
    if (!m || m.action === 'ringing') continue;
    const fromUs = bareOf(m.from) === own.bare;
    if (bareOf(fromUs ? m.to : m.from) !== peer) continue;
    let c = calls.get(m.id);
    if (!c) calls.set(m.id, (c = { r: { id: m.id, peer, video: false } }));
    foldCall(c.r, m, fromUs, it.timestamp);
    if (m.action === 'propose' && !fromUs) c.propose = m;
  }
  let best: { r: CallRecord; propose?: JmiMessage } | undefined;
  for (const c of calls.values()) {
    const at = c.r.proposedAt ?? 0;
    if (!c.propose || c.r.out || c.r.proceededAt !== undefined || c.r.end || now - at > maxAgeMs) continue;
    if (!best || at > (best.r.proposedAt ?? 0)) best = c;
  }
  return best?.propose;
}

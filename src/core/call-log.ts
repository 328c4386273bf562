// Calls as events in the 1:1 conversation: "Missed audio call", "Video call, 2:31". They are derived
// from the Jingle Message Initiation messages (XEP-0353) both accounts' archives keep — propose,
// proceed, reject, retract, finish — seen live, sent by us, or read back from history. So both sides
// and every device show the same record, also after a reload and without the call chunk loaded.
import type { Element } from './xmpp.js';
import { bareOf, parseJmi, type JmiMessage } from './protocol/jmi.js';
import { tpl, type Template } from './template.js';

export interface CallRecord {
  id: string;
  /** Bare JID of the other party. */
  peer: string;
  /** We called (undefined until a message tells). */
  out?: boolean;
  video: boolean;
  proposedAt?: number;
  proceededAt?: number;
  endedAt?: number;
  end?: 'finish' | 'reject' | 'retract';
  reason?: string;
}

export interface CallEvent {
  /** Stable per call, so later messages update the same line. */
  key: string;
  conversation: string;
  text: string;
  template: Template;
  timestamp: number;
}

/** `m:ss`, or `h:mm:ss` past an hour. */
export function callDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), sec = String(s % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

/** What the conversation shows for a call, from our side of it (every wording its own template, for translations). */
export function callText(r: CallRecord): { text: string; template: Template } {
  const v = r.video;
  if (r.proceededAt !== undefined) {
    if (r.end === 'finish' && r.endedAt !== undefined) {
      const duration = callDuration(r.endedAt - r.proceededAt);
      return v ? tpl('Video call, {duration}', { duration }) : tpl('Audio call, {duration}', { duration });
    }
    return v ? tpl('Video call') : tpl('Audio call');
  }
  if (r.end === 'retract') {
    if (!r.out) return v ? tpl('Missed video call') : tpl('Missed audio call');
    if (r.reason === 'timeout') return v ? tpl('Video call, no answer') : tpl('Audio call, no answer');
    return v ? tpl('Cancelled video call') : tpl('Cancelled audio call');
  }
  if (r.end === 'reject') {
    if (!r.out) return v ? tpl('Declined video call') : tpl('Declined audio call');
    if (r.reason === 'busy') return v ? tpl('Video call, busy') : tpl('Audio call, busy');
    return v ? tpl('Video call declined') : tpl('Audio call declined');
  }
  if (r.out) return v ? tpl('Outgoing video call') : tpl('Outgoing audio call');
  return v ? tpl('Incoming video call') : tpl('Incoming audio call');
}

/**
 * Folds one JMI message into the record of its call. `at` is when it was sent (the archive's time,
 * or now). Returns false when the message tells nothing new.
 */
export function foldCall(r: CallRecord, m: JmiMessage, fromUs: boolean, at: number): boolean {
  const before = JSON.stringify(r);
  switch (m.action) {
    case 'propose':
      r.out = fromUs;
      r.video = m.media.includes('video');
      r.proposedAt = r.proposedAt === undefined ? at : Math.min(r.proposedAt, at);
      break;
    case 'proceed':
    case 'accept':
      // The callee answers: whoever proceeds did not call.
      r.out ??= !fromUs;
      r.proceededAt ??= at;
      break;
    case 'reject':
      r.out ??= !fromUs;
      if (r.proceededAt === undefined) {
        r.end = 'reject';
        r.reason = m.reason;
      }
      break;
    case 'retract':
      r.out ??= fromUs;
      if (r.proceededAt === undefined) {
        r.end = 'retract';
        r.reason = m.reason;
      }
      break;
    case 'finish':
      r.end = 'finish';
      r.endedAt = r.endedAt === undefined ? at : Math.max(r.endedAt, at);
      break;
    default:
      return false;
  }
  return JSON.stringify(r) !== before;
}

export class CallLog {
  private readonly calls = new Map<string, CallRecord>();

  constructor(
    private readonly own: () => { bare: string; full: string },
    /** Shows (or updates, by key) the event in its conversation. */
    private readonly post: (e: CallEvent) => void,
  ) {}

  /** A message that arrived (possibly a carbon) or came from the archive at time `at`. */
  received(stanza: Element, at = Date.now()) {
    const { bare, full } = this.own();
    const m = parseJmi(stanza, bare, full);
    if (m) this.note(m, bareOf(m.from) === bare, at);
  }

  /** A message we sent from this device. */
  sent(stanza: Element, at = Date.now()) {
    const { bare, full } = this.own();
    const m = parseJmi(stanza, bare, full);
    if (m) this.note({ ...m, from: full }, true, at);
  }

  private note(m: JmiMessage, fromUs: boolean, at: number) {
    if (m.action === 'ringing') return;
    const peer = bareOf(fromUs ? m.to : m.from);
    if (!peer || peer === this.own().bare) return;
    const key = `${peer} ${m.id}`;
    let r = this.calls.get(key);
    const fresh = !r;
    r ??= { id: m.id, peer, video: false };
    if (!foldCall(r, m, fromUs, at) && !fresh) return;
    this.calls.set(key, r);
    // The line sits where the call started; without its propose (an older archive page), at the first message seen.
    const timestamp = r.proposedAt ?? r.proceededAt ?? r.endedAt ?? at;
    this.post({ key: `call-${m.id}`, conversation: peer, ...callText(r), timestamp });
  }
}

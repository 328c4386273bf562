// What a reloaded page needs to resume the stream (XEP-0198) of the page before it in this tab.
import { SET_HANDLED, type SmInternals } from '../stream-management.js';
import { jid, type Client, type Element } from '../xmpp.js';

const NS_SM = 'urn:xmpp:sm:3';
const smOf = (x: Client) => x.streamManagement as unknown as SmInternals;

/** Enough to resume this stream from another page of the same tab. */
export interface ResumeState {
  id: string;
  /** Stanzas we handled ('h'). */
  inbound: number;
  /** Our full JID in that session. */
  jid: string;
  service: string;
}

export function resumeStateOf(x: Client | undefined, service: string | undefined): ResumeState | null {
  const sm = x && smOf(x);
  if (!x || !sm?.id || !x.jid?.resource || !service) return null;
  return { id: sm.id, inbound: sm.inbound, jid: x.jid.toString(), service };
}

/** Makes a new client ask to resume that stream instead of starting a session. */
export function prepareResume(x: Client, st: ResumeState): void {
  const sm = smOf(x);
  sm.id = st.id;
  (sm as unknown as Record<symbol, (h: number) => void>)[SET_HANDLED]?.(st.inbound);
  // The resumed session keeps its address; the library only learns it from binding.
  (x as unknown as { jid: ReturnType<typeof jid> }).jid = jid(st.jid);
  // <resumed h> counts our stanzas the server handled, those of the page before included, which
  // this client never queued: take that count as ours (the library would walk past its queue's end).
  x.prependListener('nonza', (n: Element) => {
    if (n.is('resumed', NS_SM) && sm.outbound_q.length === 0) sm.outbound = Math.max(sm.outbound, Number(n.attrs.h) || 0);
  });
}


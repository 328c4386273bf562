// XEP-0198 on top of @xmpp/client 0.14: the corrections it needs, when a stream is really ready,
// and the server's acks for the outbox.
import type { Client, Element } from './xmpp.js';

const NS_SM = 'urn:xmpp:sm:3';
const NS_STREAMS = 'http://etherx.jabber.org/streams';
const NS_BIND = 'urn:ietf:params:xml:ns:xmpp-bind';

type Emitter = { on(event: string, fn: (...args: never[]) => void): void };
export interface SmInternals { id: string; inbound: number; outbound: number; enabled: boolean; outbound_q: unknown[] }
const smOf = (x: Client) => x.streamManagement as unknown as SmInternals & Emitter;

export const SET_HANDLED = Symbol.for('cc.sm.setHandled');

const isStanza = (el: Element) => el.name === 'message' || el.name === 'presence' || el.name === 'iq';

/**
 * Takes over the count of stanzas we handled ('h'), which the library gets wrong in two ways:
 *
 * - It counts in a middleware behind its iq caller, which consumes the results of our own requests:
 *   those are never counted. The server then holds them as unacknowledged for the rest of the
 *   session; its queue grows by one per request (history pages, disco, last activity…), past 500
 *   (Prosody's smacks_max_queue_size) it refuses to resume, and the stanzas it still holds for us,
 *   our newest messages included, are dropped to the archive or bounced to their senders.
 * - It resets the count on <enabled/> a few microtasks late. Where several frames arrive in one
 *   read (Node), stanzas right behind <enabled/> are counted into the old count first, and the next
 *   ack claims more than the server sent: Prosody closes the stream.
 *
 * Here every stanza is counted as it arrives, and the reset happens with <enabled/> itself.
 */
export function countEveryStanza(x: Client): void {
  const sm = smOf(x);
  let h = sm.inbound;
  let skipReset = false;
  Object.defineProperty(sm, 'inbound', {
    configurable: true,
    enumerable: true,
    get: () => h,
    // The library's own writes: its increments are counted here already, and its late reset after
    // <enabled/> was done on time; its reset when the session ends stands.
    set: (v: number) => {
      if (v !== 0) return;
      if (skipReset) skipReset = false;
      else h = 0;
    },
  });
  // For a page resuming the stream of the page before it (persist/stream-resume.ts).
  (sm as unknown as Record<symbol, (h: number) => void>)[SET_HANDLED] = (value) => {
    h = value;
  };
  x.prependListener('element', (el: Element) => {
    if (isStanza(el)) h += 1;
    else if (el.is('enabled', NS_SM)) {
      h = 0;
      skipReset = true;
    }
  });
}

export interface StreamEvents {
  /** A new session is ready: bound, and stream management enabled when the server offers it. */
  online(): void;
  /** The server acknowledged a stanza we sent (true), or the stream it was sent on is gone (false). */
  ack(stanza: Element, acked: boolean): void;
}

/**
 * The library announces a new session right after resource binding, before it even asks for
 * stream management: anything sent then is outside the acknowledged stream, and an outbox sending
 * then would wait for acks that never come. Announce it once the server answered <enable/>.
 */
export function watchStream(x: Client, on: StreamEvents): void {
  countEveryStanza(x);
  const sm = smOf(x);
  let offered = false;
  let waiting = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const ready = () => {
    if (!waiting) return;
    waiting = false;
    clearTimeout(timer);
    on.online();
  };
  x.on('nonza', (n: Element) => {
    if (n.is('features', NS_STREAMS) && n.getChild('bind', NS_BIND)) offered = !!n.getChild('sm', NS_SM);
    // The library records the answer a few microtasks later; let it.
    else if (waiting && (n.is('enabled', NS_SM) || n.is('failed', NS_SM))) setTimeout(ready, 0);
  });
  x.on('online', () => {
    if (!offered) return on.online();
    waiting = true;
    // A server that never answers must not keep us offline.
    timer = setTimeout(ready, 10_000);
  });
  x.on('disconnect', () => {
    waiting = false;
    clearTimeout(timer);
  });
  sm.on('ack', (s: Element) => on.ack(s, true));
  sm.on('fail', (s: Element) => on.ack(s, false));
}

export function smEnabled(x: Client | undefined): boolean {
  return !!x && smOf(x).enabled;
}

/**
 * Returns a function that removes the listeners of a login a dropped link cut short. The library
 * waits for each answer of a login (SASL success, <resumed/>, <enabled/>) with a listener that
 * only goes away when the answer comes: after a link dies mid-login, the old listener answers to
 * the next link's success too, the stream is opened twice, and the server never answers the
 * resume that follows. Call it after every permanent listener is in place.
 */
export function cutHandshakeForgetter(x: Client): () => void {
  const keep = new Set(x.listeners('nonza'));
  return () => {
    for (const l of x.listeners('nonza')) if (!keep.has(l)) x.removeListener('nonza', l as (...a: unknown[]) => void);
  };
}

// XEP-0198 bookkeeping that @xmpp/client 0.14 gets wrong, corrected in one place.
import type { Client, Element } from './xmpp.js';

const isStanza = (el: Element) => el.name === 'message' || el.name === 'presence' || el.name === 'iq';

/**
 * Makes the library count every stanza it receives in 'h'.
 *
 * The library counts in a middleware that runs after its iq caller, and the iq caller consumes the
 * results of our own requests without passing them on: they are never counted. The server then holds
 * them as unacknowledged for the rest of the session. Its queue grows by one per request (history
 * pages, disco, last activity…); past 500 (Prosody's smacks_max_queue_size) it refuses to resume, and
 * the stanzas it still holds for us, our newest messages included, are replayed on a resume or bounced
 * to their senders as undelivered when the session ends — or dropped when resumption is refused.
 *
 * The counting middleware runs synchronously within the 'element' event when it runs at all, so a
 * stanza whose event left the count unchanged was swallowed before it; we count it.
 */
export function countEveryStanza(x: Client): void {
  const sm = x.streamManagement;
  let before = 0;
  x.prependListener('element', () => {
    before = sm.inbound;
  });
  x.on('element', (el: Element) => {
    if (isStanza(el) && sm.inbound === before) sm.inbound += 1;
  });
}

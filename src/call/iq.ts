// Serving incoming IQ sets (Jingle) through the transport's IQ router. The library answers every
// IQ nobody routes with service-unavailable, so a plain stanza listener is not enough.
import type { Connection } from '../core/connection.js';
import type { Client, Element } from '../core/xmpp.js';

export type IqHandler = (iq: Element) => Element | true | Promise<Element | true>;

type WithOnIq = { onIq?: (type: 'get' | 'set', ns: string, name: string, h: IqHandler) => void };

const installed = new WeakMap<object, Set<string>>();

/** Routes iq sets with the child `name`/`ns` to `handler`, now and after every reconnect. */
export function serveIqSet(conn: Connection, ns: string, name: string, handler: IqHandler): void {
  const c = conn as unknown as WithOnIq;
  if (typeof c.onIq === 'function') {
    c.onIq('set', ns, name, handler);
    return;
  }
  // Until Connection routes IQs itself: install on the underlying client each time it changes.
  const install = () => {
    const x = (conn as unknown as { xmpp?: Client }).xmpp;
    if (!x) return;
    let keys = installed.get(x);
    if (!keys) installed.set(x, (keys = new Set()));
    if (keys.has(`${ns} ${name}`)) return;
    keys.add(`${ns} ${name}`);
    x.iqCallee.set(ns, name, async (ctx: { stanza: Element }) => {
      const out = await handler(ctx.stanza);
      return out === true ? true : out;
    });
  };
  install();
  conn.onOnline(() => install());
}

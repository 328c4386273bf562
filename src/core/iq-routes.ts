// The iq requests we answer (jingle, roster pushes…), installed on every client the connection makes.
import type { Client, Element } from './xmpp.js';

/** Answers an iq get/set: an element for the result payload, true for an empty result. */
export type IqHandler = (iq: Element) => Element | true | Promise<Element | true>;
type IqRoute = { type: 'get' | 'set'; ns: string; name: string; handler: IqHandler };

export class IqRoutes {
  private readonly routes: IqRoute[] = [];

  /** Adds a route, on the current client too when there is one. */
  add(route: IqRoute, current?: Client) {
    this.routes.push(route);
    if (current) install(current, route);
  }

  installAll(x: Client) {
    for (const r of this.routes) install(x, r);
  }
}

function install(x: Client, r: IqRoute) {
  x.iqCallee[r.type](r.ns, r.name, async (ctx: { stanza: Element }) => {
    const out = await r.handler(ctx.stanza);
    return out === true ? {} : out;
  });
}

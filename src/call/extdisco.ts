// XEP-0215 External Service Discovery: STUN/TURN servers with short-lived credentials from the
// user's server, turned into RTCIceServer entries. Pure build/parse.
import { xml, type Element } from '../core/xmpp.js';

export const EXTDISCO_NS = 'urn:xmpp:extdisco:2';

export interface IceServer { urls: string; username?: string; credential?: string }

export function servicesRequest(domain: string): Element {
  return xml('iq', { type: 'get', to: domain, id: `extdisco-${Date.now().toString(36)}` }, xml('services', { xmlns: EXTDISCO_NS }));
}

const bracket = (host: string) => (host.includes(':') && !host.startsWith('[') ? `[${host}]` : host);

/** stun/turn/turns services of the reply as ICE servers; other service types are ignored. */
export function parseServices(reply: Element): IceServer[] {
  const services = reply.getChild('services', EXTDISCO_NS)?.getChildren('service') ?? [];
  const out: IceServer[] = [];
  for (const s of services) {
    const type = s.attrs.type as string | undefined;
    const host = s.attrs.host as string | undefined;
    if (!host || (type !== 'stun' && type !== 'turn' && type !== 'turns')) continue;
    const port = s.attrs.port ? `:${s.attrs.port}` : '';
    const transport = s.attrs.transport && type !== 'stun' ? `?transport=${s.attrs.transport}` : '';
    const server: IceServer = { urls: `${type}:${bracket(host)}${port}${transport}` };
    if (s.attrs.username) server.username = s.attrs.username as string;
    if (s.attrs.password) server.credential = s.attrs.password as string;
    out.push(server);
  }
  return out;
}

/** The `ice` attribute: whitespace- or comma-separated `stun:`/`turn:`/`turns:` URLs. */
export function parseIceAttribute(value: string | undefined): IceServer[] {
  return (value ?? '').split(/[\s,]+/).filter((u) => /^(stun|turns?):/.test(u)).map((urls) => {
    // turn:user:pass@host:port is a common shorthand; RTCIceServer wants the credentials separate.
    const m = /^(turns?):([^:@]+):([^@]+)@(.+)$/.exec(urls);
    return m ? { urls: `${m[1]}:${m[4]}`, username: decodeURIComponent(m[2]!), credential: decodeURIComponent(m[3]!) } : { urls };
  });
}

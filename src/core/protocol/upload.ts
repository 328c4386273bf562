// HTTP File Upload (XEP-0363): recognising an upload service in disco#info, asking it for a slot,
// and reading the slot it gives. Pure; the PUT itself is in ../upload.ts.
import { xml, type Element } from '../xmpp.js';

// Not imported from ./disco.js: that would split it into a chunk of its own for one string.
const DISCO_INFO = 'http://jabber.org/protocol/disco#info';

export const UPLOAD_NS = 'urn:xmpp:http:upload:0';

export interface UploadService {
  jid: string;
  /** Bytes; absent when the service names no limit. */
  maxSize?: number;
}

export interface Slot {
  put: string;
  get: string;
  headers: Record<string, string>;
}

/** The upload service `jid` is, judging by its disco#info result (iq or query), or null. */
export function readUploadService(jid: string, info: Element): UploadService | null {
  const q = info.is('query', DISCO_INFO) ? info : info.getChild('query', DISCO_INFO);
  if (!q?.getChildren('feature').some((f) => f.attrs.var === UPLOAD_NS)) return null;
  // The limit sits in the extended disco form whose FORM_TYPE is the upload namespace (XEP-0363 §4).
  const form = q.getChildren('x', 'jabber:x:data').find((x) => x.getChildren('field')
    .some((f) => f.attrs.var === 'FORM_TYPE' && f.getChildText('value') === UPLOAD_NS));
  const raw = form?.getChildren('field').find((f) => f.attrs.var === 'max-file-size')?.getChildText('value');
  const max = raw ? Number(raw) : NaN;
  return { jid, maxSize: Number.isSafeInteger(max) && max > 0 ? max : undefined };
}

export function slotRequest(service: string, file: { name: string; size: number; type: string }): Element {
  return xml('iq', { type: 'get', to: service },
    xml('request', { xmlns: UPLOAD_NS, filename: file.name, size: String(file.size), 'content-type': file.type || 'application/octet-stream' }));
}

const httpUrl = (s: unknown): s is string => {
  try {
    const u = new URL(String(s));
    return (u.protocol === 'https:' || u.protocol === 'http:') && !!u.hostname;
  } catch {
    return false;
  }
};

/** The slot in a slot-request result, or null when it is unusable (URLs that are not http(s)). */
export function readSlot(iq: Element): Slot | null {
  const slot = iq.getChild('slot', UPLOAD_NS);
  const put = slot?.getChild('put');
  const get = slot?.getChild('get')?.attrs.url;
  if (!put || !httpUrl(put.attrs.url) || !httpUrl(get)) return null;
  const headers: Record<string, string> = {};
  // XEP-0363 §5: only these may be passed on, and never with line breaks (header injection).
  for (const h of put.getChildren('header')) {
    const name = String(h.attrs.name ?? '');
    if (/^(authorization|cookie|expires)$/i.test(name)) headers[name] = h.getText().replace(/[\r\n]/g, '');
  }
  return { put: put.attrs.url, get, headers };
}

// HTTP File Upload (XEP-0363) for images dropped on the board: find the upload service, ask for a
// slot, PUT the file, and return the URL peers load it from.
import type { Connection } from '../core/connection.js';
import { xml } from '../core/xmpp.js';

const UPLOAD_NS = 'urn:xmpp:http:upload:0';
const DISCO_INFO = 'http://jabber.org/protocol/disco#info';
const DISCO_ITEMS = 'http://jabber.org/protocol/disco#items';
const services = new WeakMap<Connection, Promise<{ jid: string; maxSize?: number }>>();

async function findService(conn: Connection): Promise<{ jid: string; maxSize?: number }> {
  const domain = conn.bare.split('@')[1] ?? '';
  const items = await conn.request(xml('iq', { type: 'get', to: domain }, xml('query', { xmlns: DISCO_ITEMS })));
  const jids = [domain, ...(items.getChild('query', DISCO_ITEMS)?.getChildren('item').map((i) => String(i.attrs.jid)) ?? [])];
  for (const jid of jids) {
    const info = await conn.request(xml('iq', { type: 'get', to: jid }, xml('query', { xmlns: DISCO_INFO }))).catch(() => null);
    const q = info?.getChild('query', DISCO_INFO);
    if (!q?.getChildren('feature').some((f) => f.attrs.var === UPLOAD_NS)) continue;
    const form = q.getChildren('x', 'jabber:x:data').find((x) => x.getChildren('field').some((f) => f.attrs.var === 'FORM_TYPE' && f.getChildText('value') === UPLOAD_NS));
    const max = Number(form?.getChildren('field').find((f) => f.attrs.var === 'max-file-size')?.getChildText('value'));
    return { jid, maxSize: Number.isFinite(max) ? max : undefined };
  }
  throw new Error('the server offers no HTTP File Upload service');
}

/** Uploads a file and returns its download URL. */
export async function uploadFile(conn: Connection, file: File): Promise<string> {
  let svc = services.get(conn);
  if (!svc) {
    svc = findService(conn);
    services.set(conn, svc);
    svc.catch(() => services.delete(conn));
  }
  const { jid, maxSize } = await svc;
  if (maxSize && file.size > maxSize) throw new Error(`the file is larger than the server allows (${maxSize} bytes)`);
  const res = await conn.request(xml('iq', { type: 'get', to: jid },
    xml('request', { xmlns: UPLOAD_NS, filename: file.name || 'image', size: String(file.size), 'content-type': file.type || 'application/octet-stream' })));
  const slot = res.getChild('slot', UPLOAD_NS);
  const put = slot?.getChild('put');
  const get = slot?.getChild('get')?.attrs.url as string | undefined;
  if (!put?.attrs.url || !get || !/^https?:\/\//.test(get)) throw new Error('the upload service gave no usable slot');
  const headers = new Headers({ 'content-type': file.type || 'application/octet-stream' });
  // Only these headers may be passed through (XEP-0363 §5).
  for (const h of put.getChildren('header')) {
    const name = String(h.attrs.name ?? '');
    if (/^(authorization|cookie|expires)$/i.test(name)) headers.set(name, h.getText().replace(/[\r\n]/g, ''));
  }
  const r = await fetch(put.attrs.url, { method: 'PUT', body: file, headers });
  if (!r.ok) throw new Error(`upload answered ${r.status}`);
  return get;
}

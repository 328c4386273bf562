// Uploading a file over HTTP File Upload (XEP-0363): find the account's upload service (once per
// connection), ask for a slot, PUT the bytes with progress, and hand back the URL others fetch.
// Shared by chat attachments and whiteboard images. XMLHttpRequest, not fetch: fetch reports no
// upload progress.
import type { Connection } from './connection.js';
import { readSlot, readUploadService, slotRequest, type Slot, type UploadService } from './protocol/upload.js';
import { xml, type Element } from './xmpp.js';

export type UploadErrorCode = 'upload-unavailable' | 'upload-too-large' | 'upload-refused' | 'upload-failed' | 'upload-cancelled';

/** Why an upload did not happen; `code` is also the `cc-error` code the elements report. */
export class UploadError extends Error {
  override name = 'UploadError';
  constructor(readonly code: UploadErrorCode, message: string, readonly maxSize?: number) {
    super(message);
  }
}

export interface UploadOptions {
  /** File name to announce; default: the File's own name. */
  name?: string;
  onProgress?: (loaded: number, total: number) => void;
  /** Aborting cancels the slot request or the PUT; the upload then rejects with `upload-cancelled`. */
  signal?: AbortSignal;
}

const services = new WeakMap<Connection, Promise<UploadService | null>>();

/** The account's upload service and its size limit (null: the server has none). Asked once per connection. */
export function uploadService(conn: Connection): Promise<UploadService | null> {
  let p = services.get(conn);
  if (!p) {
    p = findService(conn);
    services.set(conn, p);
    // Offline or timed out is not an answer: ask again next time.
    p.catch(() => services.delete(conn));
  }
  return p;
}

async function findService(conn: Connection): Promise<UploadService | null> {
  const domain = conn.bare.split('@')[1] ?? '';
  const disco = (to: string, what: 'info' | 'items') =>
    conn.request(xml('iq', { type: 'get', to }, xml('query', { xmlns: `http://jabber.org/protocol/disco#${what}` })));
  const items = await disco(domain, 'items');
  const jids = [domain, ...(items.getChild('query')?.getChildren('item').map((i) => String(i.attrs.jid)) ?? [])];
  // One at a time: a burst of iqs is what once upset the stream-management counting (ENVIRONMENT.md).
  for (const jid of jids) {
    const info = await disco(jid, 'info').catch(() => null);
    const svc = info && readUploadService(jid, info);
    if (svc) return svc;
  }
  return null;
}

const cancelled = () => new UploadError('upload-cancelled', 'The upload was cancelled.');

/** Uploads `file` and resolves to the URL to share. Rejects with an UploadError. */
export async function upload(conn: Connection, file: Blob, opts: UploadOptions = {}): Promise<string> {
  const name = opts.name ?? ((file as File).name || 'file');
  const svc = await uploadService(conn).catch((e: Error) => {
    throw new UploadError('upload-failed', `The upload service could not be reached (${e.message}).`);
  });
  if (!svc) throw new UploadError('upload-unavailable', 'This server does not accept files.');
  if (svc.maxSize !== undefined && file.size > svc.maxSize) {
    throw new UploadError('upload-too-large', `${name} is larger than the server allows.`, svc.maxSize);
  }
  if (opts.signal?.aborted) throw cancelled();
  let res: Element;
  try {
    res = await conn.request(slotRequest(svc.jid, { name, size: file.size, type: file.type }));
  } catch (e) {
    throw slotError(e as { condition?: string; text?: string; application?: Element; message?: string }, name);
  }
  if (opts.signal?.aborted) throw cancelled();
  const slot = readSlot(res);
  if (!slot) throw new UploadError('upload-refused', 'The upload service gave no usable slot.');
  await put(slot, file, opts);
  return slot.get;
}

function slotError(e: { condition?: string; text?: string; application?: Element; message?: string }, name: string): UploadError {
  if (e.application?.name === 'file-too-large') {
    const max = Number(e.application.getChildText('max-file-size'));
    return new UploadError('upload-too-large', `${name} is larger than the server allows.`, Number.isSafeInteger(max) ? max : undefined);
  }
  if (e.condition) return new UploadError('upload-refused', e.text || e.condition);
  return new UploadError('upload-failed', e.message ?? String(e));
}

function put(slot: Slot, file: Blob, o: UploadOptions): Promise<void> {
  return new Promise((resolve, reject) => {
    const x = new XMLHttpRequest();
    x.open('PUT', slot.put);
    x.setRequestHeader('Content-Type', file.type || 'application/octet-stream');
    for (const [k, v] of Object.entries(slot.headers)) x.setRequestHeader(k, v);
    x.upload.onprogress = (e) => o.onProgress?.(e.loaded, e.lengthComputable ? e.total : file.size);
    x.onload = () => (x.status >= 200 && x.status < 300 ? resolve()
      : reject(new UploadError('upload-failed', `The upload server answered ${x.status}.`)));
    x.onerror = () => reject(new UploadError('upload-failed', 'The upload server could not be reached.'));
    x.onabort = () => reject(cancelled());
    if (o.signal?.aborted) return reject(cancelled());
    o.signal?.addEventListener('abort', () => x.abort(), { once: true });
    x.send(file);
  });
}

// Sending files in a conversation: upload (./upload.ts), then a message whose body is the URL with
// OOB and file metadata, through the session's ordinary send path. Uploads in progress are a store
// per conversation, so any view of it shows their progress and can cancel them. Nothing is sent for
// an upload that failed or was cancelled.
import { atom, type ReadableAtom, type WritableAtom } from 'nanostores';
import type { Conversation } from './conversation.js';
import { attachmentPayload, type Attachment } from './protocol/attachment.js';
import type { ChatMessage } from './protocol/message.js';
import type { Session } from './session.js';
import { upload } from './upload.js';

export interface Upload {
  readonly id: string;
  readonly name: string;
  readonly size: number;
  /** Bytes sent so far. */
  readonly loaded: number;
  cancel(): void;
}

const lists = new WeakMap<Conversation, WritableAtom<readonly Upload[]>>();

function listOf(conv: Conversation): WritableAtom<readonly Upload[]> {
  let l = lists.get(conv);
  if (!l) lists.set(conv, (l = atom<readonly Upload[]>([])));
  return l;
}

/** The uploads going on in `conv`, oldest first. */
export function uploadsOf(conv: Conversation): ReadableAtom<readonly Upload[]> {
  return listOf(conv);
}

/**
 * Uploads `file` and sends it to `conv`. `meta` adds what the caller measured (an image's size).
 * Resolves to the message, or null when cancelled; rejects with an UploadError otherwise.
 */
export async function sendFile(session: Session, conv: Conversation, file: File, meta: Pick<Attachment, 'width' | 'height'> = {}): Promise<ChatMessage | null> {
  const list = listOf(conv);
  const abort = new AbortController();
  const id = crypto.randomUUID();
  const name = file.name || 'file';
  let item: Upload = { id, name, size: file.size, loaded: 0, cancel: () => abort.abort() };
  list.set([...list.get(), item]);
  const replace = (next: Upload | null) => {
    list.set(list.get().flatMap((u) => (u.id !== id ? [u] : next ? [next] : [])));
    if (next) item = next;
  };
  let url: string;
  try {
    url = await upload(session.connection, file, {
      name, signal: abort.signal, onProgress: (loaded) => replace({ ...item, loaded }),
    });
  } catch (e) {
    if ((e as { code?: string }).code === 'upload-cancelled') return null;
    throw e;
  } finally {
    replace(null);
  }
  const attachment: Attachment = { url, name, mediaType: file.type || undefined, size: file.size, ...meta };
  return session.sendMessage(conv.jid, url, { payload: attachmentPayload(attachment), fields: { attachment } });
}

/**
 * Whether `file` matches `accept`, a list like an input's `accept` attribute: MIME types
 * (`application/pdf`), wildcards (`image/*`; a lone wildcard type accepts all) and extensions
 * (`.pdf`). Empty accepts all.
 */
export function acceptsFile(accept: string, file: { name: string; type: string }): boolean {
  const tokens = accept.split(',').map((t) => t.trim().toLowerCase()).filter(Boolean);
  if (!tokens.length) return true;
  const name = file.name.toLowerCase();
  const type = file.type.toLowerCase();
  return tokens.some((t) => t === '*/*' || t === '*'
    || (t.startsWith('.') ? name.endsWith(t) && name.length > t.length
      : t.endsWith('/*') ? type.startsWith(t.slice(0, -1)) : type === t));
}

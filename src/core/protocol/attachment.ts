// A shared file in a message: the URL in Out of Band Data (XEP-0066, what most clients read) and the
// file's metadata (XEP-0446: name, type, size, and width/height so a receiver reserves an image's
// space before it loads). Pure. Everything read here comes from a peer: values are checked, and
// only http(s) URLs count.
import { xml, type Element } from '../xmpp.js';
import { safeHref } from './styling.js';

export const OOB_NS = 'jabber:x:oob';
export const FILE_NS = 'urn:xmpp:file:metadata:0';

export interface Attachment {
  url: string;
  name: string;
  /** MIME type as the sender gave it. */
  mediaType?: string;
  size?: number;
  /** Pixels, for images and videos; both or neither. */
  width?: number;
  height?: number;
}

const MAX_DIMENSION = 100_000;

const count = (s: string | null | undefined, max: number) => {
  const n = s ? Number(s.trim()) : NaN;
  return Number.isSafeInteger(n) && n >= 0 && n <= max ? n : undefined;
};

/** The last path segment of `url`, decoded when that is possible. */
function nameFromUrl(url: string): string {
  const seg = new URL(url).pathname.split('/').filter(Boolean).pop() ?? '';
  try {
    return decodeURIComponent(seg);
  } catch {
    return seg;
  }
}

/** The attachment a message carries, or undefined (none, or a URL that is not http(s)). */
export function readAttachment(m: Element): Attachment | undefined {
  const raw = m.getChild('x', OOB_NS)?.getChildText('url')?.trim();
  const url = raw ? safeHref(raw) : null;
  if (!url || !/^https?:/.test(url)) return undefined;
  const f = m.getChild('file', FILE_NS);
  const type = f?.getChildText('media-type')?.trim().toLowerCase();
  const width = count(f?.getChildText('width'), MAX_DIMENSION);
  const height = count(f?.getChildText('height'), MAX_DIMENSION);
  const dims = width && height ? { width, height } : {};
  return {
    url,
    // Control and bidi characters would let a name pose as another (e.g. "gpj.exe" shown reversed).
    name: ((f?.getChildText('name') ?? '').replace(/[\p{Cc}\p{Cf}]/gu, '').trim() || nameFromUrl(url)).slice(0, 200),
    mediaType: type && /^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/.test(type) ? type : undefined,
    size: count(f?.getChildText('size'), Number.MAX_SAFE_INTEGER),
    ...dims,
  };
}

/** The elements that announce `a` in an outgoing message (its body is the URL). */
export function attachmentPayload(a: Attachment): Element[] {
  const meta = [
    ['media-type', a.mediaType], ['name', a.name], ['size', a.size],
    ['width', a.width && a.height ? a.width : undefined], ['height', a.width && a.height ? a.height : undefined],
  ] as const;
  return [
    xml('x', { xmlns: OOB_NS }, xml('url', {}, a.url)),
    xml('file', { xmlns: FILE_NS }, ...meta.filter(([, v]) => v !== undefined && v !== '').map(([k, v]) => xml(k, {}, String(v)))),
  ];
}

export type AttachmentKind = 'image' | 'video' | 'audio' | 'file';

const BY_EXTENSION: Record<string, AttachmentKind> = {
  jpg: 'image', jpeg: 'image', png: 'image', gif: 'image', webp: 'image', avif: 'image',
  mp4: 'video', webm: 'video', m4v: 'video', mov: 'video',
  mp3: 'audio', m4a: 'audio', ogg: 'audio', oga: 'audio', opus: 'audio', wav: 'audio', flac: 'audio',
};

/** How to show `a`: by its media type, else by the extension of its name. */
export function attachmentKind(a: Attachment): AttachmentKind {
  const top = a.mediaType?.split('/')[0];
  if (top === 'image' || top === 'video' || top === 'audio') return top;
  if (a.mediaType && a.mediaType !== 'application/octet-stream') return 'file';
  return BY_EXTENSION[a.name.split('.').pop()?.toLowerCase() ?? ''] ?? 'file';
}

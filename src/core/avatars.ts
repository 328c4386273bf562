// Contacts' pictures: learnt from presence hashes (XEP-0153) and PEP notifications (XEP-0084), or
// looked up once when the UI shows someone we have no hint for; fetched a few at a time.
import { map } from 'nanostores';
import type { Connection } from './connection.js';
import type { Disco } from './disco.js';
import {
  AVATAR_META, MAX_AVATAR_BYTES, AVATAR_TYPES, avatarId, dataFromItems, dataRequest, imageFromVcard, metadataEvent,
  metadataFromItems, metadataRequest, presencePhoto, publishAvatar, vcardRequest, type AvatarImage, type AvatarInfo,
} from './protocol/avatar.js';
import type { Element } from './xmpp.js';

const PARALLEL = 3;

export class Avatars {
  /** Bare JID → an object URL of their picture. Absent: show initials. */
  readonly $urls = map<Record<string, string>>({});
  /** The avatar id we show (or '' for none) per JID, so a repeated hint costs nothing. */
  private readonly shown = new Map<string, string>();
  private readonly looked = new Set<string>();
  private readonly queue: (() => Promise<void>)[] = [];
  private running = 0;

  constructor(private readonly conn: Connection, disco: Disco) {
    // Asking for +notify makes the server push avatar changes of our contacts to us.
    disco.add(`${AVATAR_META}+notify`);
    conn.onStanza((s) => this.onStanza(s));
  }

  /** The UI is about to show `jid`: look its picture up if nothing told us about it yet. */
  want(jid: string) {
    if (this.looked.has(jid) || this.shown.has(jid)) return;
    this.looked.add(jid);
    this.enqueue(() => this.lookup(jid));
  }

  /** Publishes our own picture (XEP-0084; servers such as Prosody mirror it into the vCard). */
  async publish(type: string, data: Uint8Array, size?: { width: number; height: number }) {
    if (!AVATAR_TYPES.includes(type)) throw new Error(`avatar type ${type} is not one of ${AVATAR_TYPES.join(', ')}`);
    if (data.length > MAX_AVATAR_BYTES) throw new Error(`avatar is larger than ${MAX_AVATAR_BYTES / 1024} KB`);
    const id = await avatarId(data);
    for (const iq of publishAvatar({ id, type, data, ...size })) await this.conn.request(iq);
    this.show(this.conn.bare, { id, type, data });
  }

  private onStanza(s: Element): boolean {
    if (s.is('presence') && !s.getChild('x', 'http://jabber.org/protocol/muc#user') && s.attrs.type !== 'error') {
      const photo = presencePhoto(s);
      if (photo !== undefined) this.hint(String(s.attrs.from).split('/')[0]!.toLowerCase(), photo, 'vcard');
      return false;
    }
    if (s.is('message')) {
      const e = metadataEvent(s);
      if (e) {
        this.hint(e.jid, e.id ?? '', 'pep');
        return true;
      }
    }
    return false;
  }

  private hint(jid: string, id: string, via: 'pep' | 'vcard') {
    this.looked.add(jid);
    if (this.shown.get(jid) === id) return;
    if (!id) return this.show(jid, null);
    this.enqueue(async () => {
      if (this.shown.get(jid) === id) return;
      const img = (via === 'pep' ? await this.fromPep(jid, { id, type: '' }) : null) ?? (await this.fromVcard(jid));
      // Remember the id even if the fetch failed, so a flood of presences does not refetch.
      this.show(jid, img ? { ...img, id } : null, id);
    });
  }

  private async lookup(jid: string) {
    if (!this.conn.online) {
      this.looked.delete(jid); // ask again when someone wants it while we are online
      return;
    }
    const info = metadataFromItems(await this.get(metadataRequest(jid)));
    const img = (info ? await this.fromPep(jid, info) : null) ?? (await this.fromVcard(jid));
    if (!this.shown.has(jid)) this.show(jid, img);
  }

  private async fromPep(jid: string, info: AvatarInfo): Promise<AvatarImage | null> {
    const res = await this.get(dataRequest(jid, info.id));
    if (!res) return null;
    // The type is only known from metadata; a notification's id alone needs it fetched.
    const type = info.type || metadataFromItems(await this.get(metadataRequest(jid)))?.type;
    return type ? dataFromItems(res, { ...info, type }) : null;
  }

  private async fromVcard(jid: string): Promise<AvatarImage | null> {
    const res = await this.get(vcardRequest(jid));
    return res ? imageFromVcard(res) : null;
  }

  private async get(iq: Element): Promise<Element | null> {
    if (!this.conn.online) return null;
    return this.conn.request(iq, 10_000).catch(() => null);
  }

  private show(jid: string, img: AvatarImage | null, id = img?.id ?? '') {
    this.shown.set(jid, id);
    const old = this.$urls.get()[jid];
    if (old) URL.revokeObjectURL(old);
    if (img) {
      this.$urls.setKey(jid, URL.createObjectURL(new Blob([img.data as Uint8Array<ArrayBuffer>], { type: img.type })));
    } else if (old) {
      const { [jid]: _gone, ...rest } = this.$urls.get();
      this.$urls.set(rest);
    }
  }

  private enqueue(job: () => Promise<void>) {
    this.queue.push(job);
    this.pump();
  }

  private pump() {
    while (this.running < PARALLEL && this.queue.length) {
      const job = this.queue.shift()!;
      this.running++;
      void job().catch((e) => console.warn('cc: avatar', e)).finally(() => {
        this.running--;
        this.pump();
      });
    }
  }
}

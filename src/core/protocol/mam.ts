// XEP-0313 Message Archive Management with XEP-0059 paging: fetch a page of a conversation's history.
import { NS, xml, type Element } from '../xmpp.js';

export interface ArchivedStanza {
  stanzaId: string;
  timestamp: number;
  message: Element;
}

export interface ArchivePage {
  items: ArchivedStanza[];
  /** RSM id of the oldest item: pass as `before` for the previous page. */
  first?: string;
  /** RSM id of the newest item: pass as `after` for the next page. */
  last?: string;
  complete: boolean;
}

export interface PageQuery {
  /** Whose archive: undefined = our own account; a room JID for MUC history. */
  archive?: string;
  with?: string;
  /** Page before this RSM id; '' = the newest page. */
  before?: string;
  /** Items after this stanza-id (catch-up). */
  after?: string;
  max: number;
}

export function buildQuery(queryId: string, q: PageQuery, iqId: string): Element {
  const fields = [xml('field', { var: 'FORM_TYPE', type: 'hidden' }, xml('value', {}, NS.mam))];
  if (q.with) fields.push(xml('field', { var: 'with' }, xml('value', {}, q.with)));
  const set = xml('set', { xmlns: NS.rsm }, xml('max', {}, String(q.max)));
  if (q.after !== undefined) set.append(xml('after', {}, q.after));
  else set.append(xml('before', {}, q.before ?? ''));
  return xml('iq', { type: 'set', id: iqId, ...(q.archive ? { to: q.archive } : {}) },
    xml('query', { xmlns: NS.mam, queryid: queryId },
      xml('x', { xmlns: NS.dataForms, type: 'submit' }, ...fields), set));
}

/** Reads a `<result/>` message of a running query; null if the message is not one. */
export function parseResult(stanza: Element, queryId: string, archiveJid: string): ArchivedStanza | null {
  const r = stanza.getChild('result', NS.mam);
  if (!r || r.attrs.queryid !== queryId) return null;
  // Results must come from the archive we asked, or anyone could inject history.
  const from = (stanza.attrs.from ?? archiveJid).split('/')[0]!.toLowerCase();
  if (from !== archiveJid) return null;
  const fwd = r.getChild('forwarded', NS.forward);
  const message = fwd?.getChild('message');
  const stamp = fwd?.getChild('delay', NS.delay)?.attrs.stamp as string | undefined;
  if (!message || !r.attrs.id) return null;
  const t = stamp ? Date.parse(stamp) : NaN;
  return { stanzaId: r.attrs.id, timestamp: Number.isFinite(t) ? t : Date.now(), message };
}

export function parseFin(iq: Element): { first?: string; last?: string; complete: boolean } {
  const fin = iq.getChild('fin', NS.mam);
  return {
    first: fin?.getChild('set', NS.rsm)?.getChildText('first') ?? undefined,
    last: fin?.getChild('set', NS.rsm)?.getChildText('last') ?? undefined,
    complete: fin?.attrs.complete === 'true',
  };
}

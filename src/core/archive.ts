// Runs XEP-0313 queries over a connection and collects their results.
import type { Connection } from './connection.js';
import { buildQuery, parseFin, parseResult, type ArchivePage, type ArchivedStanza, type PageQuery } from './protocol/mam.js';
import { parseChatMessage, parseGroupMessage, type ChatMessage } from './protocol/message.js';

let seq = 0;

export async function queryArchive(conn: Connection, q: PageQuery): Promise<ArchivePage> {
  const queryId = `q${Date.now().toString(36)}${(seq++).toString(36)}`;
  const archiveJid = (q.archive ?? conn.bare).toLowerCase();
  const items: ArchivedStanza[] = [];
  const off = conn.onStanza((s) => {
    if (!s.is('message')) return false;
    const r = parseResult(s, queryId, archiveJid);
    if (!r) return false;
    items.push(r);
    return true;
  });
  try {
    const fin = parseFin(await conn.request(buildQuery(queryId, q, `${queryId}-iq`), 30_000));
    items.sort((a, b) => a.timestamp - b.timestamp);
    return { items, ...fin };
  } finally {
    off();
  }
}

export interface ArchiveParseContext {
  ownBare: string;
  /** Our nick in the room (room archives). */
  ownNick?: string;
}

/**
 * Archived stanzas as messages: of the conversation `jid` (a room's archive when `kind` is room), or
 * of every 1:1 conversation in our own archive when `jid` is null.
 */
export function parseArchived(jid: string | null, kind: 'chat' | 'room', items: ArchivedStanza[], ctx: ArchiveParseContext): ChatMessage[] {
  const out: ChatMessage[] = [];
  for (const it of items) {
    const m = kind === 'room'
      ? parseGroupMessage(it.message, { ownNick: ctx.ownNick, archived: { ...it, by: jid! } })
      : parseChatMessage(it.message, { ownBare: ctx.ownBare, archived: { ...it, by: ctx.ownBare } });
    if (m && (jid === null || m.conversation === jid)) out.push(m);
  }
  return out;
}

/** The newest page of our own archive, by conversation: what the list shows as recent chats. */
export async function recentChats(conn: Connection, max = 100): Promise<Map<string, ChatMessage[]>> {
  const page = await queryArchive(conn, { before: '', max });
  const byConv = new Map<string, ChatMessage[]>();
  for (const m of parseArchived(null, 'chat', page.items, { ownBare: conn.bare })) {
    if (!byConv.has(m.conversation)) byConv.set(m.conversation, []);
    byConv.get(m.conversation)!.push(m);
  }
  return byConv;
}

// Runs XEP-0313 queries over a connection and collects their results.
import type { Connection } from './connection.js';
import { buildQuery, parseFin, parseResult, type ArchivePage, type ArchivedStanza, type PageQuery } from './protocol/mam.js';

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

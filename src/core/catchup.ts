// After a fresh session or a reload: everything the archive holds after the newest message a
// conversation knows, page by page, however much was missed (not just the newest page).
import { queryArchive } from './archive.js';
import type { Conversation } from './conversation.js';
import type { ChatMessage } from './protocol/message.js';

/**
 * Where to read on from: the newest incoming message we know by its archive id. Not one of ours:
 * the archive may put ours after incoming messages still on their way to us (held for a stream
 * that died, say), and reading on from ours would skip those.
 */
export function lastArchiveId(conv: Conversation): string | undefined {
  return conv.catchUpFrom ?? anchorOf(conv)?.stanzaId;
}

function anchorOf(conv: Conversation, id?: string): ChatMessage | undefined {
  const list = conv.$messages.get();
  for (let i = list.length - 1; i >= 0; i--) {
    const m = list[i]!;
    if (id ? m.stanzaId === id : m.stanzaId && m.direction === 'in' && !m.system) return m;
  }
  return undefined;
}

/**
 * Pages forward from `after`; with nothing to start from, or an id the archive no longer has,
 * loads the newest page instead. Resolves true when it read to the end of the archive.
 */
export async function catchUp(conv: Conversation, after = lastArchiveId(conv), maxPages = 50): Promise<boolean> {
  if (!after) return latest(conv);
  // Until it reaches the end, a later catch-up must go on from where this one got to.
  conv.catchUpFrom = after;
  for (let i = 0; i < maxPages; i++) {
    if (!conv.conn.online) return false;
    const q = conv.kind === 'room' ? { archive: conv.jid, after, max: 100 } : { with: conv.jid, after, max: 100 };
    let page;
    try {
      page = await queryArchive(conv.conn, q);
    } catch (e) {
      if ((e as { condition?: string }).condition === 'item-not-found') {
        conv.catchUpFrom = undefined;
        return latest(conv);
      }
      throw e;
    }
    // With the message it reads on from at its head, the batch goes after that message.
    const anchor = anchorOf(conv, after);
    conv.store.add(anchor ? [anchor, ...conv.parse(page.items)] : conv.parse(page.items));
    if (page.complete || !page.last || page.items.length === 0) {
      conv.catchUpFrom = undefined;
      return true;
    }
    after = conv.catchUpFrom = page.last;
  }
  return false;
}

async function latest(conv: Conversation): Promise<boolean> {
  if (!conv.conn.online) return false;
  await conv.loadLatest();
  return true;
}

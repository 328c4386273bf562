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

type Run = { done: Promise<boolean>; next?: Promise<boolean> };
const running = new WeakMap<Conversation, Run>();

/**
 * Pages forward from `after`; with nothing to start from, or an id the archive no longer has,
 * loads the newest page instead. Resolves true when it read to the end of the archive.
 * One at a time per conversation: every stream that comes back asks for one, and two reading the
 * same archive at once would each place pages by where the other had got to. One asked for while
 * another runs goes on after it, from where that one ended (asks meanwhile share that next run).
 */
export function catchUp(conv: Conversation, after = lastArchiveId(conv), maxPages = 50): Promise<boolean> {
  const run = running.get(conv);
  if (run) return (run.next ??= run.done.catch(() => false).then(() => catchUp(conv, undefined, maxPages)));
  const r: Run = { done: readForward(conv, after, maxPages) };
  running.set(conv, r);
  // Registered before any next run's continuation, so that one starts with the slot free.
  const clear = () => { if (running.get(conv) === r) running.delete(conv); };
  r.done.then(clear, clear);
  return r.done;
}

async function readForward(conv: Conversation, after: string | undefined, maxPages: number): Promise<boolean> {
  if (!after) return latest(conv);
  // Until it reaches the end, a later catch-up must go on from where this one got to.
  if (conv.catchUpFrom !== after) conv.catchUpAnchor = undefined;
  conv.catchUpFrom = after;
  for (let i = 0; i < maxPages; i++) {
    if (!conv.conn.online) return false;
    const q = conv.kind === 'room' ? { archive: conv.jid, after, max: 100 } : { with: conv.jid, after, max: 100 };
    let page;
    try {
      page = await queryArchive(conv.conn, q);
    } catch (e) {
      if ((e as { condition?: string }).condition === 'item-not-found') {
        conv.catchUpFrom = conv.catchUpAnchor = undefined;
        return latest(conv);
      }
      throw e;
    }
    const items = conv.parse(page.items);
    conv.store.add([...headOf(conv, after), ...items]);
    if (page.complete || !page.last || page.items.length === 0) {
      conv.catchUpFrom = conv.catchUpAnchor = undefined;
      return true;
    }
    conv.catchUpAnchor = [...items].reverse().find((m) => m.stanzaId && m.direction === 'in')?.stanzaId ?? conv.catchUpAnchor;
    after = conv.catchUpFrom = page.last;
  }
  return false;
}

/**
 * What a page of the catch-up goes after: the newest incoming message it has read. Incoming
 * messages sit in archive order; ours sit where they were written (offline, say, long before the
 * archive got them), so they cannot say where the page goes. The page's last item is often a
 * receipt, a marker or one of ours, so the anchor is kept apart (catchUpAnchor).
 */
export function headOf(conv: Pick<Conversation, '$messages' | 'catchUpAnchor'>, after: string): ChatMessage[] {
  const list = conv.$messages.get();
  const find = (id?: string) => (id ? list.find((m) => m.stanzaId === id && m.direction === 'in') : undefined);
  const head = find(after) ?? find(conv.catchUpAnchor);
  return head ? [head] : [];
}

async function latest(conv: Conversation): Promise<boolean> {
  if (!conv.conn.online) return false;
  await conv.loadLatest();
  return true;
}

// One IndexedDB database per account: the outbox (messages the server does not have yet) and the
// cache (conversations and their recent messages). Nothing here ever holds a password or token.
import { deleteDB, openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { ChatMessage } from '../protocol/message.js';
import type { ConversationSummary } from '../summaries.js';

export interface OutboxRecord {
  /** Our stanza id and origin-id (XEP-0359): how the server, the peer and our archive know it. */
  id: string;
  /** Order of sending. */
  seq: number;
  conversation: string;
  kind: 'chat' | 'room';
  body: string;
  createdAt: number;
  state: 'pending' | 'failed';
  /** Why the server refused it (failed only). */
  error?: string;
  /**
   * The newest incoming archive id known when it was written. The archive has it (if it arrived)
   * after that one, so checking whether it arrived reads on from there.
   */
  after?: string;
  /** Written to a stream that went away before the server acknowledged it: it may have arrived. */
  attempted?: boolean;
  /** Text sent before the body for other clients (a reply's fallback quote), not shown here. */
  prefix?: string;
  /** Extra elements of the stanza (reply, mentions, …). */
  payload?: StoredElement[];
  /** Fields of the message as shown here (e.g. the reply it quotes). */
  fields?: Partial<ChatMessage>;
}

/** An XML element as plain data (IndexedDB stores no ltx elements). */
export interface StoredElement {
  name: string;
  attrs: Record<string, string>;
  children: (StoredElement | string)[];
}

export interface CachedConversation {
  jid: string;
  kind: 'chat' | 'room';
  /** The newest messages, oldest first. */
  messages: ChatMessage[];
  unread: number;
  /** Where an unfinished catch-up stopped (see Conversation.catchUpFrom). */
  catchUpFrom?: string;
  /** The message that unfinished catch-up had read up to (see Conversation.catchUpAnchor). */
  catchUpAnchor?: string;
}

interface Schema extends DBSchema {
  outbox: { key: string; value: OutboxRecord };
  conversations: { key: string; value: CachedConversation };
  meta: { key: string; value: unknown };
}

export type AccountDb = IDBPDatabase<Schema>;

const nameOf = (account: string) => `cc:${account}`;

export function openAccountDb(account: string): Promise<AccountDb> {
  return openDB<Schema>(nameOf(account), 1, {
    upgrade(db) {
      db.createObjectStore('outbox', { keyPath: 'id' });
      db.createObjectStore('conversations', { keyPath: 'jid' });
      db.createObjectStore('meta');
    },
    // Another tab deletes this account's data (logout there): let it.
    blocking(_current, _next, event) {
      (event.target as IDBDatabase).close();
    },
  });
}

export function dropAccountDb(account: string): Promise<void> {
  return deleteDB(nameOf(account));
}

export type { ConversationSummary };

// Set up with each session, before its first connection: what makes messages survive drops and
// reloads (the outbox and its sender, the cache, the resumable stream, the archive catch-up). Nothing can be sent before
// the composer exists, which loads later still.
import { catchUp, lastArchiveId } from './catchup.js';
import { Outbox } from './outbox.js';
import { receiveMessage } from './receiving.js';
import { Persistence, type PersistedSession } from './persistence.js';
import { Sender, type SenderContext } from './sending.js';

export interface Durable {
  sender: Sender;
  persistence: Persistence;
  catchUp: typeof catchUp;
  lastArchiveId: typeof lastArchiveId;
  receiveMessage: typeof receiveMessage;
}

export function setupDurable(session: PersistedSession & SenderContext, account: string): Durable {
  const persistence = new Persistence(session, account);
  const sender = new Sender(session.connection, new Outbox(persistence.db), session);
  persistence.resumePreviousPage();
  void persistence.restore(sender);
  return { sender, persistence, catchUp, lastArchiveId, receiveMessage };
}

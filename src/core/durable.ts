// Loaded after first paint, before the first connection: what makes messages survive drops and
// reloads (the outbox and its sender, the cache, the resumable stream). Nothing can be sent before
// the composer exists, which loads later still.
import { Outbox } from './outbox.js';
import { Persistence, type PersistedSession } from './persistence.js';
import { Sender, type SenderContext } from './sending.js';

export interface Durable {
  sender: Sender;
  persistence: Persistence;
}

export function setupDurable(session: PersistedSession & SenderContext, account: string): Durable {
  const persistence = new Persistence(session, account);
  const sender = new Sender(session.connection, new Outbox(persistence.db), session);
  persistence.resumePreviousPage();
  void persistence.restore(sender);
  return { sender, persistence };
}

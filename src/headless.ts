// The headless core (npm `cc/core`): sessions, stores and actions without any element, for people
// who build their own UI. The elements use exactly this API.
import { isProblem, parseConfig, type Attrs } from './core/config.js';
import { acquireSession } from './core/registry.js';
import type { Session } from './core/session.js';

export { acquireSession, releaseSession } from './core/registry.js';
export { accountKey, isBareJid, isProblem, parseConfig } from './core/config.js';
export type { AccountConfig, Attrs, ConfigProblem } from './core/config.js';
export { Session } from './core/session.js';
export type { IncomingEvent } from './core/session.js';
export type { CcError, Connection, ConnectionState } from './core/connection.js';
export type { Conversation, ConversationKind } from './core/conversation.js';
export type { ConversationSummary } from './core/summaries.js';
export type { ChatMessage, Direction, Status } from './core/protocol/message.js';
export type { Attachment } from './core/protocol/attachment.js';
export { acceptsFile, sendFile, uploadsOf } from './core/attachments.js';
export type { Upload } from './core/attachments.js';
export { upload, uploadService, UploadError } from './core/upload.js';
export type { UploadErrorCode, UploadOptions } from './core/upload.js';
export { disablePush, enablePush, pushIntents, pushState } from './core/push.js';
export type { PushIntent, PushOptions, PushState, PushStatus } from './core/push.js';
export type * from './events.js';

/**
 * Opens (or joins) the page's session for an account described like the elements' attributes:
 * `openSession({ service, jid, password })`. Throws the configuration problem when they are wrong.
 * Call `releaseSession(session)` when done; the session stops once nobody uses it.
 */
export function openSession(attrs: Attrs): Session {
  const cfg = parseConfig(attrs);
  if (isProblem(cfg)) throw Object.assign(new Error(cfg.message), cfg);
  return acquireSession(cfg);
}

// The detail of every cc-* event, and typed `addEventListener('cc-…', e => e.detail…)` on elements.
import type { EndReason } from './call/store.js';
import type { ConnectionState } from './core/connection.js';
import type { PushIntent } from './core/push.js';

export interface CcReadyDetail { jid?: string }
export interface CcConnectionChangeDetail { state: ConnectionState }
export interface CcErrorDetail { code: string; message: string; attribute?: string }
export interface CcOpenChangeDetail { open: boolean }
export interface CcUnreadChangeDetail { total: number }
export interface CcMessageDetail { from: string; conversation: string; text: string }
export type CcPushCallDetail = PushIntent;
export interface CcCallIncomingDetail { from: string; video: boolean }
export interface CcCallStateDetail { state: 'ringing' | 'connecting' | 'active' | 'ended' }
/** `duration`: seconds the call was connected. */
export interface CcCallEndedDetail { reason?: EndReason; duration: number }
/** `elements`: how many elements the board holds now. */
export interface CcBoardChangeDetail { elements: number; origin: 'local' | 'remote' }

/** Every event a cc-* element dispatches (bubbling and composed, so it leaves the shadow root). */
export interface CcEventMap {
  'cc-ready': CustomEvent<CcReadyDetail>;
  'cc-connection-change': CustomEvent<CcConnectionChangeDetail>;
  'cc-error': CustomEvent<CcErrorDetail>;
  'cc-open-change': CustomEvent<CcOpenChangeDetail>;
  'cc-unread-change': CustomEvent<CcUnreadChangeDetail>;
  'cc-message': CustomEvent<CcMessageDetail>;
  'cc-push-call': CustomEvent<CcPushCallDetail>;
  'cc-call-incoming': CustomEvent<CcCallIncomingDetail>;
  'cc-call-state': CustomEvent<CcCallStateDetail>;
  'cc-call-ended': CustomEvent<CcCallEndedDetail>;
  'cc-board-change': CustomEvent<CcBoardChangeDetail>;
}

declare global {
  // The events bubble and are composed, so any element (or the document) can listen to them.
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface HTMLElementEventMap extends CcEventMap {}
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface DocumentEventMap extends CcEventMap {}
}

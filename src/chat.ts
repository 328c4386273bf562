// Entry for cc-chat alone (npm `cc/chat`).
import { CcChat } from './elements/cc-chat/cc-chat.js';
import { define } from './elements/define.js';

define('cc-chat', CcChat);

export { CcChat };
export type * from './events.js';

declare global {
  interface HTMLElementTagNameMap {
    'cc-chat': CcChat;
  }
}

// The panel contents (list, conversation, new chat), a separate chunk: the launcher and the session
// paint first, this arrives while the socket connects.
import { define } from '../define.js';
export { Alerts, Announcer } from './alerts.js';
import { ChatActions } from './chat-actions.js';
import { ChatList } from './chat-list.js';
import { ChatView } from './chat-view.js';
import { ChatComposer } from './composer.js';
import { NewChat } from './new-chat.js';
import { ProfileCard } from './profile-card.js';

define('cc-chat-list', ChatList);
define('cc-chat-view', ChatView);
define('cc-chat-composer', ChatComposer);
define('cc-chat-new', NewChat);
define('cc-profile-card', ProfileCard);
define('cc-chat-actions', ChatActions);

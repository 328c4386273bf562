// The script-tag entry: `<script type="module" src="…/cc.js">` defines every cc-* element.
import { lazyDefine } from './elements/lazy.js';
export * from './chat.js';
lazyDefine('cc-whiteboard', () => import('./whiteboard.js'));
lazyDefine('cc-call', () => import('./call.js'));

// The script-tag entry: `<script type="module" src="…/cc.js">` defines every cc-* element.
import { lazyDefine } from './elements/lazy.js';
export * from './chat.js';
// Types only (erased from the output), so the chunks stay lazy while `import 'cc'` still types
// <cc-call> and <cc-whiteboard>.
export type { CcCall } from './call.js';
export type { CcWhiteboard } from './whiteboard.js';
lazyDefine('cc-whiteboard', () => import('./whiteboard.js'));
lazyDefine('cc-call', () => import('./call.js'));

// The script-tag entry: `<script type="module" src="…/cc.js">` defines every cc-* element.
import { lazyDefine } from './elements/lazy.js';
export * from './chat.js';
// Types only (erased from the output), so the chunks stay lazy while `import 'cc'` still types
// <cc-call> and <cc-whiteboard>.
export type { CcCall } from './call.js';
export type { CcWhiteboard } from './whiteboard.js';

// With two copies of the bundle on a page (two paths, two versions), only the first to see a tag
// loads its chunk: a second copy of the chunk would be downloaded, then never used.
const KEY = Symbol.for('cc.lazy-started');
const started: Set<string> = ((globalThis as { [KEY]?: Set<string> })[KEY] ??= new Set());
const once = (tag: string, load: () => Promise<unknown>) => () => {
  if (started.has(tag)) return customElements.whenDefined(tag);
  started.add(tag);
  return load();
};

lazyDefine('cc-whiteboard', once('cc-whiteboard', () => import('./whiteboard.js')));
lazyDefine('cc-call', once('cc-call', () => import('./call.js')));

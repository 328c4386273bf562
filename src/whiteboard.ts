// Entry for cc-whiteboard (a separate chunk: cc.js loads it when the tag first appears).
import { CcWhiteboard } from './elements/cc-whiteboard/cc-whiteboard.js';
import { define } from './elements/define.js';

define('cc-whiteboard', CcWhiteboard);

export { CcWhiteboard };
export { BoardModel } from './whiteboard/model.js';
export type * from './events.js';

declare global {
  interface HTMLElementTagNameMap {
    'cc-whiteboard': CcWhiteboard;
  }
}

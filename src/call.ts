// Entry for cc-call (npm `cc/call`); src/cc.ts loads it as a separate chunk when the tag appears.
import { CcCall } from './elements/cc-call/cc-call.js';
import { define } from './elements/define.js';

define('cc-call', CcCall);

export { CcCall };
export type * from './events.js';

declare global {
  interface HTMLElementTagNameMap {
    'cc-call': CcCall;
  }
}

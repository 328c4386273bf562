// Stands in for lib0/logging in the bundle. Yjs prints a handful of developer warnings through it,
// and the real module brings a DOM log renderer and colour handling along (half a kilobyte gzip of
// the size budget); the browser console shows these warnings as well.
const plain = (args: unknown[]) => args.filter((a) => typeof a !== 'symbol');

export const BOLD = Symbol('bold');
export const UNBOLD = Symbol('unbold');
export const RED = Symbol('red');
export const ORANGE = Symbol('orange');
export const print = (...args: unknown[]) => console.log(...plain(args));
export const warn = (...args: unknown[]) => console.warn(...plain(args));

// Stands in for lib0/environment in the bundle. Yjs asks it one thing: whether localStorage holds
// node_env=development (then Yjs freezes the arrays it stores, to catch mutation). The real module
// also parses the page's query string and probes terminal colours when it loads (0.4 KB gzip).
export const isNode = false;
export const isBrowser = typeof window !== 'undefined' && typeof document !== 'undefined';

export function getVariable(name: string): string | null {
  try {
    return localStorage.getItem(name);
  } catch {
    // Storage can be off limits (sandboxed frames, some privacy settings): no variable then.
    return null;
  }
}

// One session per account per page, shared by every element that names it — even across two copies
// of the bundle on one page, hence the registry lives on a global symbol.
import { accountKey, type AccountConfig } from './config.js';
import { Session } from './session.js';

interface Entry { session: Session; users: number; stopTimer?: ReturnType<typeof setTimeout> }

const KEY = Symbol.for('cc.sessions');
const g = globalThis as unknown as { [KEY]?: Map<string, Entry> };
const entries: Map<string, Entry> = (g[KEY] ??= new Map());

export function acquireSession(config: AccountConfig): Session {
  const key = accountKey(config);
  let e = entries.get(key);
  if (e) {
    clearTimeout(e.stopTimer);
    e.users++;
    return e.session;
  }
  e = { session: new Session(config), users: 1 };
  entries.set(key, e);
  void e.session.start();
  return e.session;
}

/** Stops the session once nobody uses it; a short grace period survives an element being moved. */
export function releaseSession(session: Session): void {
  for (const [key, e] of entries) {
    if (e.session !== session) continue;
    if (--e.users > 0) return;
    e.stopTimer = setTimeout(() => {
      entries.delete(key);
      void session.stop();
    }, 1000);
    return;
  }
}

/** The account signed out: the next element that names it gets a new session. */
export function forgetSession(session: Session): void {
  for (const [key, e] of entries) {
    if (e.session !== session) continue;
    clearTimeout(e.stopTimer);
    entries.delete(key);
  }
}

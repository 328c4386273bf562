// The host-site side of `credentials-url`, as the demo runs it: a logged-in user (here: a signed
// demo cookie standing in for the site's own session) GETs /api/chat-login and receives
// { jid, token } with a short-lived token the XMPP server verifies itself (server/token.mjs).
// Passwords never reach the page. Works as a Connect/Vite middleware or inside a plain http server.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { signToken } from './token.mjs';

const COOKIE = 'cc_demo_user';

/**
 * @param {{ secret: string, domain: string, ttlSeconds?: number, service?: string,
 *   isUser: (name: string) => boolean, onIssue?: (jid: string, exp: number) => void }} opts
 */
export function tokenEndpoint(opts) {
  const ttl = opts.ttlSeconds ?? 300;
  const mac = (/** @type {string} */ v) => createHmac('sha256', `cookie:${opts.secret}`).update(v).digest('base64url');

  /** The logged-in demo user, from a cookie only this server can have signed. */
  function userOf(/** @type {import('node:http').IncomingMessage} */ req) {
    const raw = /(?:^|;\s*)cc_demo_user=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];
    const [name, sig] = decodeURIComponent(raw ?? '').split('.');
    if (!name || !sig) return undefined;
    const want = Buffer.from(mac(name));
    const got = Buffer.from(sig);
    return want.length === got.length && timingSafeEqual(want, got) && opts.isUser(name) ? name : undefined;
  }

  const json = (/** @type {import('node:http').ServerResponse} */ res, status, body, headers = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers });
    res.end(JSON.stringify(body));
  };

  /**
   * @param {import('node:http').IncomingMessage} req @param {import('node:http').ServerResponse} res
   * @param {() => void} [next] @returns {boolean} whether the request was handled
   */
  return function handle(req, res, next) {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/api/demo-login') {
      // Stands in for the host site's own login form; dev-only, like the demo passwords.
      const name = url.searchParams.get('user') ?? '';
      if (!opts.isUser(name)) { json(res, 403, { error: `no demo user "${name}"` }); return true; }
      const cookie = `${COOKIE}=${encodeURIComponent(`${name}.${mac(name)}`)}; Path=/; HttpOnly; SameSite=Lax`;
      json(res, 200, { user: name }, { 'set-cookie': cookie });
      return true;
    }
    if (url.pathname === '/api/demo-logout') {
      json(res, 200, {}, { 'set-cookie': `${COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax` });
      return true;
    }
    if (url.pathname === '/api/chat-login') {
      const name = userOf(req);
      if (!name) { json(res, 401, { error: 'not logged in on this site' }); return true; }
      const jid = `${name}@${opts.domain}`;
      const token = signToken(jid, opts.secret, ttl);
      opts.onIssue?.(jid, Math.floor(Date.now() / 1000) + ttl);
      json(res, 200, { jid, token, ...(opts.service ? { service: opts.service } : {}) });
      return true;
    }
    next?.();
    return false;
  };
}

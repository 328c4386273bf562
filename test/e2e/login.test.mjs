// Login modes a host site uses (SPEC §3): credentials-url with short-lived tokens the XMPP server
// verifies itself (server/token-endpoint.mjs + server/prosody/mod_auth_cc_token.lua), and guests.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { tokenEndpoint } from '../../server/token-endpoint.mjs';
import { befriend, launchBrowser, newAccount, openAs, pageUrl, stack, startStaticServer, unique, until } from '../support/e2e.mjs';

/** @type {import('playwright-core').Browser} */ let browser;
const cleanup = [];

before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  for (const f of cleanup.reverse()) await f().catch(() => {});
  await browser?.close();
});

/** A host site: the static pages plus a login endpoint; `issued` lists the tokens it handed out. */
async function hostSite({ ttlSeconds = 300, secret = stack.secrets.token } = {}) {
  /** @type {{ jid: string, exp: number }[]} */
  const issued = [];
  const handle = tokenEndpoint({
    secret, domain: stack.domain, ttlSeconds, isUser: (n) => n.startsWith('tok'),
    onIssue: (jid, exp) => issued.push({ jid, exp }),
  });
  const web = await startStaticServer({ handle });
  cleanup.push(() => web.close());
  return { origin: web.origin, issued };
}

/** A browser context logged in to the host site as `user` (its own cookie), with event recording. */
async function visitor(site, user) {
  const ctx = await browser.newContext();
  cleanup.push(() => ctx.close());
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e));
  await page.addInitScript(() => {
    const w = /** @type {any} */ (window);
    w.ccStates = [];
    w.ccErrors = [];
    document.addEventListener('cc-connection-change', (e) => w.ccStates.push(/** @type {CustomEvent} */ (e).detail.state));
    document.addEventListener('cc-error', (e) => w.ccErrors.push(/** @type {CustomEvent} */ (e).detail.code));
  });
  if (user) {
    const res = await page.request.get(`${site.origin}/api/demo-login?user=${user}`);
    assert.equal(res.status(), 200);
  }
  return { ctx, page, errors };
}

const states = (page) => page.evaluate(() => /** @type {any} */ (window).ccStates);
const lastState = async (page) => (await states(page)).at(-1);
const say = async (page, text) => {
  const box = page.getByRole('textbox', { name: 'Message' });
  await box.fill(text);
  await box.press('Enter');
};

describe('credentials-url with server-verified tokens', () => {
  it('without a host-site login: a specific visible error; after login: chats, and no secret in storage', async () => {
    const alice = newAccount('tok-alice');
    const bob = newAccount('bob');
    await befriend(alice, bob);
    const site = await hostSite();
    const v = await visitor(site);
    const attrs = { mode: 'embedded', service: stack.service, 'credentials-url': '/api/chat-login', with: bob.jid };
    await v.page.goto(pageUrl(site.origin, attrs));
    await v.page.getByRole('alert').filter({ hasText: 'credentials-url' }).waitFor();
    assert.ok((await v.page.evaluate(() => /** @type {any} */ (window).ccErrors)).includes('credentials-url'));

    await v.page.request.get(`${site.origin}/api/demo-login?user=${alice.user}`);
    await v.page.reload();
    const b = await openAs(browser, site.origin, bob, { mode: 'embedded', with: alice.jid });
    cleanup.push(() => b.ctx.close());
    const text = `via token ${unique('m')}`;
    await say(v.page, text);
    await b.page.locator('cc-chat-view').getByText(text).waitFor();
    await say(b.page, 'token reply');
    await v.page.locator('cc-chat-view').getByText('token reply').waitFor();

    assert.equal(site.issued.length, 1);
    assert.equal(site.issued[0].jid, alice.jid);
    const stored = await v.page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }));
    assert.ok(!/eyJ[\w-]+\.[\w-]+\./.test(stored), 'no token in web storage');
    assert.deepEqual(v.errors, []);
  });

  it('a login after the token expired fetches a fresh one and the session carries on', async () => {
    const alice = newAccount('tok-alice');
    const bob = newAccount('bob');
    await befriend(alice, bob);
    const site = await hostSite({ ttlSeconds: 2 });
    const v = await visitor(site, alice.user);
    await v.page.goto(pageUrl(site.origin, { mode: 'embedded', service: stack.service, 'credentials-url': '/api/chat-login', with: bob.jid }));
    await until(async () => (await lastState(v.page)) === 'online', 'first login');
    const firstExp = site.issued[0].exp;
    await until(() => Date.now() / 1000 > firstExp + 1, 'the first token to expire', 10_000);

    // The network drops and comes back: the reconnect must log in again, with a new token.
    await v.ctx.setOffline(true);
    await until(async () => (await lastState(v.page)) === 'offline', 'offline shown');
    await v.ctx.setOffline(false);
    await until(async () => (await lastState(v.page)) === 'online', 'online again', 30_000);
    assert.ok(site.issued.length >= 2, `a fresh token was fetched (${site.issued.length} issued)`);
    assert.ok(!(await states(v.page)).includes('error'));

    const b = await openAs(browser, site.origin, bob, { mode: 'embedded', with: alice.jid });
    cleanup.push(() => b.ctx.close());
    const text = `after re-login ${unique('m')}`;
    await say(v.page, text);
    await b.page.locator('cc-chat-view').getByText(text).waitFor();
    assert.deepEqual(v.errors, []);
  });

  it('a token the server refuses is retried once with a fresh one, then shown as an error', async () => {
    const alice = newAccount('tok-alice');
    const site = await hostSite({ secret: 'a-secret-the-xmpp-server-does-not-share-with-us' });
    const v = await visitor(site, alice.user);
    await v.page.goto(pageUrl(site.origin, { mode: 'embedded', service: stack.service, 'credentials-url': '/api/chat-login' }));
    await v.page.getByRole('alert').filter({ hasText: 'Login refused' }).waitFor({ timeout: 20_000 });
    assert.ok((await v.page.evaluate(() => /** @type {any} */ (window).ccErrors)).includes('auth-failed'));
    assert.equal(site.issued.length, 2);
    assert.equal(await lastState(v.page), 'error');
    assert.deepEqual(v.errors, []);
  });
});

describe('guests', () => {
  it('an anonymous visitor with a nick talks to support; the agent answers', async () => {
    const agent = newAccount('agent');
    const site = await hostSite();
    const g = await visitor(site);
    await g.page.goto(pageUrl(site.origin, {
      service: stack.service, anonymous: '', domain: `guest.${stack.domain}`, nick: 'Visitor Vera', with: agent.jid,
    }));
    await g.page.getByRole('button', { name: 'Open chat' }).click();
    const text = `hello support ${unique('m')}`;
    await say(g.page, text);

    const a = await openAs(browser, site.origin, agent, { mode: 'embedded' });
    cleanup.push(() => a.ctx.close());
    const list = a.page.getByRole('listbox', { name: 'Conversations' });
    // The guest's address is random; the agent sees the nick its messages carry (XEP-0172).
    const item = list.getByRole('option', { name: 'Visitor Vera', exact: true });
    await item.filter({ hasText: text }).click();
    await a.page.locator('cc-chat-view').getByText(text).waitFor();
    assert.equal(await a.page.locator('cc-chat-view header .name').textContent(), 'Visitor Vera');
    await say(a.page, 'how can we help?');
    await g.page.locator('cc-chat-view').getByText('how can we help?').waitFor();
    assert.equal(await lastState(g.page), 'online');
    assert.deepEqual([...g.errors, ...a.errors], []);
  });
});

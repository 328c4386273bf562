// The demo site as `npm start` serves it (the Vite dev server, sources, seeded users and rooms),
// against the test Prosody: each scenario page works for the users it names, and the docs pages
// and links resolve.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createServer } from 'vite';
import { seedDemo } from '../../server/seed.mjs';
import { launchBrowser, stack, unique } from '../support/e2e.mjs';

/** @type {import('playwright-core').Browser} */ let browser;
/** @type {import('vite').ViteDevServer} */ let vite;
let origin = '';

before(async () => {
  await seedDemo(stack);
  // run-all.mjs reserves six ports from its base; the fifth is free for this server.
  const port = Number(process.env.CC_TEST_HTTP_PORT ?? 25280) + 4;
  vite = await createServer({
    configFile: 'vite.config.ts', logLevel: 'warn', clearScreen: false,
    define: { __CC_DEMO_SERVICE__: JSON.stringify(stack.service) },
    server: { port, strictPort: true, hmr: false },
  });
  await vite.listen();
  origin = `http://localhost:${port}`;
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await vite?.close();
});

async function open(path) {
  const ctx = await browser.newContext({ viewport: { width: 1300, height: 800 } });
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e));
  await page.goto(`${origin}/demo/${path}`);
  return { page, errors, close: () => ctx.close() };
}

const send = async (/** @type {import('playwright-core').Locator} */ scope, /** @type {string} */ text) => {
  await scope.getByRole('textbox', { name: 'Message' }).fill(text);
  await scope.getByRole('textbox', { name: 'Message' }).press('Enter');
};

describe('scenario demos on the dev server, with the seeded users and rooms', () => {
  it('support: a guest writes from the shop; the agent sees the new visitor, answers, the guest reads it', async () => {
    const site = await open('support-site.html');
    const desk = await open('support-desk.html?as=alice');
    const question = `Is the lamp dimmable? ${unique('q')}`;
    await send(site.page.locator('cc-chat'), question);
    // The visitor is a throwaway guest account: the list shows it with the message as preview.
    await desk.page.getByRole('option').filter({ hasText: question }).click();
    await send(desk.page.locator('cc-chat'), 'Yes, in three steps.');
    await site.page.locator('cc-chat-view .msg .body').getByText('Yes, in three steps.').waitFor();
    assert.deepEqual([...site.errors, ...desk.errors], []);
    await Promise.all([site.close(), desk.close()]);
  });

  it('community: alice and carol talk in the lobby, split view', async () => {
    const alice = await open('community-app.html?as=alice');
    const carol = await open('community-app.html?as=carol');
    await alice.page.getByRole('listbox', { name: 'Conversations' }).waitFor();
    const text = `hello lobby ${unique('m')}`;
    await send(alice.page.locator('cc-chat'), text);
    await carol.page.locator('cc-chat-view .msg .body').getByText(text).waitFor();
    assert.deepEqual([...alice.errors, ...carol.errors], []);
    await Promise.all([alice.close(), carol.close()]);
  });

  it('marketplace: bob asks about one product; the seller reads it in that product\'s chat', async () => {
    const shop = await open('market-shop.html?as=bob');
    const admin = await open('market-seller.html?as=alice');
    await shop.page.getByRole('button', { name: /Oak chair/ }).click();
    await shop.page.locator('cc-chat header').getByText('product-chair').waitFor();
    const text = `Does the chair wobble? ${unique('m')}`;
    await send(shop.page.locator('cc-chat'), text);
    const chair = admin.page.locator('section').filter({ has: admin.page.getByRole('heading', { name: 'Oak chair' }) });
    await chair.locator('cc-chat-view .msg .body').getByText(text).waitFor();
    const lamp = admin.page.locator('section').filter({ has: admin.page.getByRole('heading', { name: 'Desk lamp' }) });
    assert.equal(await lamp.locator('cc-chat-view .msg .body').getByText(text).count(), 0);
    assert.deepEqual([...shop.errors, ...admin.errors], []);
    await Promise.all([shop.close(), admin.close()]);
  });

  it('meeting: the room chat, the call and the board come up side by side', async () => {
    const m = await open('meeting.html?as=alice');
    await m.page.locator('cc-chat').getByRole('textbox', { name: 'Message' }).waitFor();
    await m.page.locator('cc-call').getByRole('button', { name: 'Join call' }).and(m.page.locator(':enabled')).waitFor();
    await m.page.waitForFunction(() => /** @type {any} */ (document.querySelector('cc-whiteboard'))?._sync?.state === 'ready', null, { timeout: 20000 });
    assert.deepEqual(m.errors, []);
    await m.close();
  });

  it('docs: the reference is generated into the page; every link of the home page resolves', async () => {
    const reference = await (await fetch(`${origin}/demo/docs/reference.html`)).text();
    for (const tag of ['cc-chat', 'cc-call', 'cc-whiteboard']) assert.ok(reference.includes(`<section id="${tag}"`), tag);
    assert.ok(reference.includes('<code>credentials-url</code>'));
    const home = await open('');
    const links = await home.page.locator('a[href]').evaluateAll((as) => as.map((a) => /** @type {HTMLAnchorElement} */ (a).href));
    await home.close();
    for (const href of new Set(links)) {
      const res = await fetch(href);
      assert.equal(res.status, 200, href);
    }
  });
});

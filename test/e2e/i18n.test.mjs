// cc-chat in the page's language, with its strings loaded as a separate chunk.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { launchBrowser, newAccount, pageUrl, stack, startStaticServer } from '../support/e2e.mjs';

/** @type {import('playwright-core').Browser} */ let browser;
/** @type {Awaited<ReturnType<typeof startStaticServer>>} */ let web;

before(async () => {
  [browser, web] = await Promise.all([launchBrowser(), startStaticServer()]);
});
after(async () => {
  await browser?.close();
  await web?.close();
});

describe('cc-chat in another language', () => {
  it('lang="de": German names and texts; English pages never load the catalog', async () => {
    const alice = newAccount('alice');
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    /** @type {string[]} */
    const catalogs = [];
    page.on('request', (r) => { if (/\/chunks\/(de|fr|es)-[\w-]+\.js$/.test(r.url())) catalogs.push(r.url()); });
    await page.goto(pageUrl(web.origin, { service: stack.service, jid: alice.jid, password: alice.password, lang: 'de' }));
    await page.getByRole('button', { name: 'Chat öffnen' }).click();
    await page.getByRole('listbox', { name: 'Unterhaltungen' }).waitFor();
    await page.getByRole('button', { name: 'Neuer Chat' }).click();
    await page.getByRole('textbox', { name: 'Raumname' }).waitFor();
    assert.equal(catalogs.length, 1, 'the German strings came as their own chunk');

    await page.goto(pageUrl(web.origin, { service: stack.service, jid: alice.jid, password: alice.password }));
    await page.getByRole('button', { name: 'Open chat' }).click();
    await page.getByRole('listbox', { name: 'Conversations' }).waitFor();
    assert.equal(catalogs.length, 1);
    await ctx.close();
  });
});

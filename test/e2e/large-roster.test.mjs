// A big roster: the conversation list stays a virtual list (few rows in the page), filtering and
// keyboard reach every contact, and the page stays responsive.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { launchBrowser, newAccount, openAs, startStaticServer, stack, until, writeRoster } from '../support/e2e.mjs';

/** @type {import('playwright-core').Browser} */ let browser;
/** @type {Awaited<ReturnType<typeof startStaticServer>>} */ let web;

before(async () => {
  [browser, web] = await Promise.all([launchBrowser(), startStaticServer()]);
});
after(async () => {
  await browser?.close();
  await web?.close();
});

describe('a roster of 3,000 contacts', () => {
  it('lists them virtually; filter and keyboard reach the last one', async () => {
    const me = newAccount('big');
    const n = 3000;
    const names = Array.from({ length: n }, (_, i) => `Contact ${String(i).padStart(4, '0')}`);
    writeRoster(me, names.map((name, i) => ({ jid: `c${i}@${stack.domain}`, name })));
    const a = await openAs(browser, web.origin, me, { mode: 'embedded' });
    const list = a.page.getByRole('listbox', { name: 'Conversations' });
    await list.getByRole('option', { name: 'Contact 0000' }).waitFor();

    const rendered = await list.getByRole('option').count();
    assert.ok(rendered > 5 && rendered < 200, `only rows near the viewport are in the page (${rendered})`);
    assert.equal(await list.getByRole('option').first().getAttribute('aria-setsize'), String(n));

    // Keyboard: End goes to the very last contact, Home back to the first.
    await list.getByRole('option', { name: 'Contact 0000' }).focus();
    await a.page.keyboard.press('End');
    await until(() => a.page.evaluate(() => {
      const active = document.querySelector('cc-chat')?.shadowRoot?.activeElement?.shadowRoot?.activeElement
        ?? document.querySelector('cc-chat')?.shadowRoot?.activeElement;
      return active?.getAttribute('aria-label');
    }).then((l) => l === 'Contact 2999'), 'focus on the last contact');
    await a.page.keyboard.press('ArrowUp');
    await list.getByRole('option', { name: 'Contact 2998' }).and(a.page.locator(':focus')).waitFor();

    await a.page.getByRole('searchbox', { name: 'Filter conversations' }).fill('Contact 2999');
    await list.getByRole('option', { name: 'Contact 2999' }).click();
    await a.page.locator('cc-chat-view header .name').getByText('Contact 2999').waitFor();
    assert.deepEqual(a.errors, []);
    await a.ctx.close();
  });
});

// Accessibility of cc-chat in its main states, checked with axe-core (WCAG 2 A/AA) inside the
// element's shadow roots, against real Prosody.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { befriend, launchBrowser, newAccount, openAs, startStaticServer } from '../support/e2e.mjs';

/** @type {import('playwright-core').Browser} */ let browser;
/** @type {Awaited<ReturnType<typeof startStaticServer>>} */ let web;

before(async () => {
  [browser, web] = await Promise.all([launchBrowser(), startStaticServer()]);
});
after(async () => {
  await browser?.close();
  await web?.close();
});

async function violations(page) {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: 'node_modules/axe-core/axe.min.js' });
  return page.evaluate(async () => {
    const r = await /** @type {any} */ (window).axe.run(document.querySelector('cc-chat'), { runOnly: ['wcag2a', 'wcag2aa'] });
    return r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
}

describe('cc-chat accessibility (axe)', () => {
  it('launcher, list, conversation, new chat and contact card have no WCAG A/AA violations', async () => {
    const [alice, bob] = [newAccount('alice'), newAccount('bob')];
    await befriend(alice, bob);
    const found = {};
    for (const theme of ['light', 'dark']) {
      const a = await openAs(browser, web.origin, alice, { theme });
      const p = a.page;
      await p.getByRole('button', { name: 'Open chat' }).waitFor();
      found[`${theme} launcher`] = await violations(p);
      await p.getByRole('button', { name: 'Open chat' }).click();
      await p.getByRole('option', { name: bob.user }).waitFor();
      found[`${theme} list`] = await violations(p);
      await p.getByRole('option', { name: bob.user }).click();
      const box = p.getByRole('textbox', { name: 'Message' });
      await box.fill(`hello in ${theme}`);
      await box.press('Enter');
      await p.locator('cc-chat-view').getByText(`hello in ${theme}`).waitFor();
      found[`${theme} conversation`] = await violations(p);
      await p.getByRole('button', { name: 'Contact info' }).click();
      await p.getByRole('dialog', { name: 'Contact info' }).waitFor();
      found[`${theme} contact card`] = await violations(p);
      await p.getByRole('button', { name: 'Close', exact: true }).click();
      await p.getByRole('button', { name: 'Back' }).click();
      await p.getByRole('button', { name: 'New chat' }).click();
      await p.getByRole('textbox', { name: 'Address' }).waitFor();
      found[`${theme} new chat`] = await violations(p);
      assert.deepEqual(a.errors, []);
      await a.ctx.close();
    }
    assert.deepEqual(Object.fromEntries(Object.entries(found).filter(([, v]) => v.length)), {});
  });
});

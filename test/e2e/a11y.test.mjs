// Accessibility of cc-chat in its main states, checked with axe-core (WCAG 2 A/AA) inside the
// element's shadow roots, against real Prosody.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { xml } from '@xmpp/client';
import { befriend, launchBrowser, newAccount, openAs, rawClient, startStaticServer, unique, until } from '../support/e2e.mjs';

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
  it('launcher, list, conversation, its popups and dialogs, new chat, contact card and a room have no WCAG A/AA violations', async () => {
    const [alice, bob] = [newAccount('alice'), newAccount('bob')];
    await befriend(alice, bob);
    const { x, stop } = await rawClient(bob);
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
      await until(() => a.available(), 'alice online');
      await x.send(xml('message', { to: alice.jid, type: 'chat', id: unique('m') }, xml('body', {}, `from bob in ${theme}`)));
      const theirs = p.locator('cc-chat-view .msg', { hasText: `from bob in ${theme}` });
      await theirs.waitFor();
      found[`${theme} conversation`] = await violations(p);

      const mine = p.locator('cc-chat-view .msg', { hasText: `hello in ${theme}` });
      await mine.hover();
      await mine.getByRole('button', { name: 'Delete' }).click();
      await p.getByRole('dialog', { name: 'Delete this message for everyone?' }).waitFor();
      found[`${theme} delete dialog`] = await violations(p);
      await p.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();

      await theirs.hover();
      await theirs.getByRole('button', { name: 'React' }).click();
      await p.getByRole('dialog', { name: 'Reactions' }).waitFor();
      found[`${theme} reactions`] = await violations(p);
      await p.keyboard.press('Escape');

      await p.getByRole('button', { name: 'Emoji' }).click();
      await p.getByRole('dialog', { name: 'Choose an emoji' }).getByRole('option').first().waitFor();
      found[`${theme} emoji picker`] = await violations(p);
      await p.keyboard.press('Escape');

      await theirs.hover();
      await theirs.getByRole('button', { name: 'Report' }).click();
      await p.getByRole('dialog', { name: 'Report this message' }).waitFor();
      found[`${theme} report form`] = await violations(p);
      await p.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();

      await p.getByRole('button', { name: 'Contact info' }).click();
      await p.getByRole('dialog', { name: 'Contact info' }).waitFor();
      found[`${theme} contact card`] = await violations(p);
      await p.getByRole('button', { name: 'Close', exact: true }).click();
      await p.getByRole('button', { name: 'Back' }).click();
      await p.getByRole('button', { name: 'New chat' }).click();
      await p.getByRole('textbox', { name: 'Address' }).waitFor();
      found[`${theme} new chat`] = await violations(p);
      await p.getByRole('textbox', { name: 'Room name' }).fill(`Axe ${theme}`);
      await p.getByRole('button', { name: 'Create room' }).click();
      await p.getByRole('button', { name: 'Occupants' }).click();
      await p.getByRole('region', { name: 'Occupants list' }).getByRole('button', { name: alice.user }).waitFor();
      found[`${theme} room with occupants`] = await violations(p);
      await p.getByRole('region', { name: 'Occupants list' }).getByRole('button', { name: alice.user }).click();
      await p.getByRole('dialog', { name: 'Occupant info' }).waitFor();
      found[`${theme} occupant card`] = await violations(p);
      await p.getByRole('button', { name: 'Close', exact: true }).click();
      await p.getByRole('button', { name: 'Change subject' }).click();
      await p.getByRole('dialog', { name: 'Change subject' }).waitFor();
      found[`${theme} subject dialog`] = await violations(p);
      await p.keyboard.press('Escape');
      assert.deepEqual(a.errors, []);
      await a.ctx.close();
    }
    await stop();
    assert.deepEqual(Object.fromEntries(Object.entries(found).filter(([, v]) => v.length)), {});
  });
});

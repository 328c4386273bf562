// A room's tools in cc-chat: Change subject and Invite ask in the widget's own dialogs (keyboard
// first: Enter submits, Escape cancels, focus returns), and an occupant's card (nick, real address
// when the room shows it, role, affiliation) with Block / Report; against real Prosody.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { launchBrowser, newAccount, openAs, stack, startStaticServer, unique, until } from '../support/e2e.mjs';

/** @type {import('playwright-core').Browser} */ let browser;
/** @type {Awaited<ReturnType<typeof startStaticServer>>} */ let web;
const cleanup = [];

before(async () => {
  [browser, web] = await Promise.all([launchBrowser(), startStaticServer()]);
});
after(async () => {
  for (const f of cleanup.reverse()) await f().catch(() => {});
  await browser?.close();
  await web?.close();
});

describe('room tools', () => {
  it('subject and invitation through dialogs; an occupant\'s card shows who they are and reports them', async () => {
    const [alice, bob, carol] = [newAccount('alice'), newAccount('bob'), newAccount('carol')];
    const room = `${unique('tools')}@conference.${stack.domain}`;
    const a = await openAs(browser, web.origin, alice, { mode: 'embedded', room });
    /** @type {string[]} */ const sent = [];
    a.page.on('websocket', (ws) => ws.on('framesent', (f) => sent.push(String(f.payload))));

    await a.page.locator('cc-chat-view header .subject').getByText('1 in the room').waitFor();
    // The page may send its join twice while it logs in (a second join resets the occupants it
    // knows, and the room does not list them again): bob joins once that is over.
    await until(() => a.available(), 'alice\'s initial presence');
    const b = await openAs(browser, web.origin, bob, { mode: 'embedded', room });
    cleanup.push(() => b.ctx.close());
    await a.page.locator('cc-chat-view header .subject').getByText('2 in the room').waitFor();
    await a.page.getByRole('button', { name: 'Occupants' }).click();

    await a.page.getByRole('region', { name: 'Occupants list' }).getByRole('button', { name: bob.user }).waitFor();

    // Change subject: the dialog opens on its text box; Escape cancels and gives focus back.
    const change = a.page.getByRole('button', { name: 'Change subject' });
    await change.click();
    const ask = a.page.getByRole('dialog', { name: 'Change subject' });
    const subject = ask.getByRole('textbox', { name: 'New subject' });
    await until(() => subject.evaluate((el) => el.getRootNode().activeElement === el), 'focus in the subject box');
    await a.page.keyboard.press('Escape');
    await ask.waitFor({ state: 'hidden' });
    await until(() => change.evaluate((el) => el.getRootNode().activeElement === el), 'focus back on Change subject');
    await a.page.keyboard.press('Enter');
    await ask.waitFor();
    await a.page.keyboard.type('Release <b>plans</b>');
    await a.page.keyboard.press('Enter');
    await ask.waitFor({ state: 'hidden' });
    await a.page.locator('cc-chat-view header .subject').getByText('Release <b>plans</b>', { exact: true }).waitFor();
    await b.page.locator('cc-chat-view header .subject').getByText('Release <b>plans</b>', { exact: true }).waitFor();

    // Invite: a wrong address is refused in the dialog; a right one goes to the room for carol.
    await a.page.getByRole('button', { name: 'Invite', exact: true }).click();
    const invite = a.page.getByRole('dialog', { name: 'Invite someone' });
    await invite.getByRole('textbox', { name: 'Address (name@example.com)' }).fill('not an address');
    await invite.getByRole('button', { name: 'Send invitation' }).click();
    await invite.getByRole('alert').getByText('“not an address” is not an address like name@example.com').waitFor();
    await invite.getByRole('textbox', { name: 'Address (name@example.com)' }).fill(carol.jid);
    await invite.getByRole('button', { name: 'Send invitation' }).click();
    await invite.waitFor({ state: 'hidden' });
    const invites = () => sent.filter((f) => f.includes('muc#user') && f.includes('<invite'));
    await until(() => invites().length === 1, 'the invitation on the wire');
    assert.match(invites()[0], new RegExp(`<message to=["']${room}["'][^>]*>.*<invite to=["']${carol.jid}["']`));

    // The occupant's card: alice owns the room, so she sees bob's real address.
    await a.page.getByRole('region', { name: 'Occupants list' }).getByRole('button', { name: bob.user }).click();
    const card = a.page.getByRole('dialog', { name: 'Occupant info' });
    await card.getByRole('heading', { name: bob.user }).waitFor();
    await card.getByText(bob.jid, { exact: true }).waitFor();
    await card.getByText('Role: participant').waitFor();
    await card.getByText('online').waitFor();
    await card.getByRole('button', { name: 'Report' }).click();
    await card.getByRole('combobox', { name: 'Reason' }).selectOption('spam');
    await card.getByRole('button', { name: 'Send report and block' }).click();
    await card.getByRole('status').getByText('Blocked').waitFor();
    const report = sent.find((f) => f.includes('urn:xmpp:reporting:1'));
    assert.ok(report, 'the report went out');
    assert.match(report, new RegExp(`<item jid=["']${bob.jid}["']>`), 'it names bob\'s real address');
    assert.match(report, /reason=["']urn:xmpp:reporting:spam["']/);
    await card.getByRole('button', { name: 'Unblock' }).waitFor();
    await a.page.keyboard.press('Escape');
    await card.waitFor({ state: 'hidden' });
    const bobby = a.page.getByRole('region', { name: 'Occupants list' }).getByRole('button', { name: bob.user });
    await until(() => bobby.evaluate((el) => el.getRootNode().activeElement === el), 'focus back on the occupant');

    // Her own entry has no Block / Report.
    await a.page.getByRole('region', { name: 'Occupants list' }).getByRole('button', { name: alice.user }).click();
    await card.getByRole('button', { name: 'Close' }).waitFor();
    assert.equal(await card.getByRole('button', { name: 'Block' }).count(), 0);
    assert.deepEqual(a.errors, []);
    await a.ctx.close();
  });
});

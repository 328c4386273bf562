// Blocking and reporting from a contact's card (XEP-0191 / XEP-0377), against real Prosody.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { xml } from '@xmpp/client';
import { befriend, launchBrowser, newAccount, openAs, rawClient, startStaticServer, unique, until } from '../support/e2e.mjs';

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

/** A Node client for `account`; `send` resolves with the error condition the server bounced, if any. */
async function other(account) {
  const { x, stop } = await rawClient(account, { available: false });
  cleanup.push(stop);
  /** @type {Map<string, string>} */
  const bounced = new Map();
  x.on('stanza', (s) => { if (s.is('message') && s.attrs.type === 'error') bounced.set(s.attrs.id, s.getChild('error')?.children[0]?.name ?? '?'); });
  return {
    send: (to, text) => { const id = unique('m'); void x.send(xml('message', { to, type: 'chat', id }, xml('body', {}, text))); return id; },
    bounced,
  };
}

describe('block and report', () => {
  it('blocking hides the contact\'s messages (now and after a reload) until unblocked; a report goes on the wire', async () => {
    const [alice, bob] = [newAccount('alice'), newAccount('bob')];
    await befriend(alice, bob);
    const a = await openAs(browser, web.origin, alice, { mode: 'embedded', with: bob.jid });
    /** @type {string[]} */
    const sent = [];
    a.page.on('websocket', (ws) => ws.on('framesent', (f) => sent.push(String(f.payload))));
    const b = await other(bob);
    b.send(alice.jid, 'before the block');
    await a.page.locator('cc-chat-view').getByText('before the block').waitFor();
    const box = a.page.getByRole('textbox', { name: 'Message' });
    await box.fill('my own line');
    await box.press('Enter');

    await a.page.getByRole('button', { name: 'Contact info' }).click();
    const card = a.page.getByRole('dialog', { name: 'Contact info' });
    await card.getByText(bob.jid).waitFor();
    await card.getByRole('button', { name: 'Report' }).click();
    await card.getByRole('combobox', { name: 'Reason' }).selectOption('spam');
    await card.getByRole('textbox', { name: 'Details (optional)' }).fill('selling things');
    await card.getByRole('button', { name: 'Send report and block' }).click();
    await card.getByRole('status').getByText('Blocked').waitFor();
    const report = sent.find((f) => f.includes('urn:xmpp:blocking') && f.includes('urn:xmpp:reporting:1'));
    assert.ok(report, 'the block with the report was sent');
    assert.match(report, new RegExp(`<item jid=["']${bob.jid}["']>`));
    assert.match(report, /reason=["']urn:xmpp:reporting:spam["']/);
    assert.match(report, /<text>selling things<\/text>/);

    await until(async () => (await a.page.locator('cc-chat-view').getByText('before the block').count()) === 0, 'bob\'s message to disappear');
    // The server now refuses bob's messages to alice; nothing of his shows up.
    const id = b.send(alice.jid, 'while blocked');
    await until(() => b.bounced.get(id), 'the server to bounce bob\'s message');
    await card.getByRole('button', { name: 'Close' }).click();
    await a.page.reload();
    await a.page.getByRole('textbox', { name: 'Message' }).waitFor();
    await a.page.getByRole('button', { name: 'Contact info' }).click();
    await card.getByRole('status').getByText('Blocked').waitFor();
    await card.getByRole('button', { name: 'Close' }).click();
    // The archive is in (alice's own line came back from it), without bob's message.
    await a.page.locator('cc-chat-view').getByText('my own line').waitFor();
    assert.equal(await a.page.locator('cc-chat-view').getByText('before the block').count(), 0, 'archived messages of a blocked contact are hidden');
    await a.page.getByRole('button', { name: 'Contact info' }).click();
    assert.equal(await a.page.getByText('while blocked').count(), 0);

    await card.getByRole('button', { name: 'Unblock' }).click();
    await card.getByRole('button', { name: 'Block' }).waitFor();
    await card.getByRole('button', { name: 'Close' }).click();
    b.send(alice.jid, 'after the unblock');
    await a.page.locator('cc-chat-view').getByText('after the unblock').waitFor();
    assert.deepEqual(a.errors, []);
  });
});

/** The attributes of the first `<tag …>` in an XML frame. */
function attrsOf(frame, tag) {
  const m = frame.match(new RegExp(`<${tag}\\b([^>]*)>`));
  return m ? Object.fromEntries([...m[1].matchAll(/([\w:-]+)=["']([^"']*)["']/g)].map((a) => [a[1], a[2]])) : null;
}

describe('report a message', () => {
  it('Report on one of bob\'s messages sends XEP-0377 with its stanza-id, blocks bob on the server and says so', async () => {
    const [alice, bob] = [newAccount('alice'), newAccount('bob')];
    await befriend(alice, bob);
    const a = await openAs(browser, web.origin, alice, { mode: 'embedded', with: bob.jid });
    /** @type {string[]} */ const sent = [];
    /** @type {string[]} */ const received = [];
    a.page.on('websocket', (ws) => {
      ws.on('framesent', (f) => sent.push(String(f.payload)));
      ws.on('framereceived', (f) => received.push(String(f.payload)));
    });
    await until(() => a.available(), 'alice online');
    const b = await other(bob);
    b.send(alice.jid, 'an ordinary line');
    b.send(alice.jid, 'buy cheap pills now');
    const msg = a.page.locator('cc-chat-view .msg', { hasText: 'buy cheap pills now' });
    await msg.waitFor();
    // Our own messages offer no Report.
    const box = a.page.getByRole('textbox', { name: 'Message' });
    await box.fill('my answer');
    await box.press('Enter');
    const mine = a.page.locator('cc-chat-view .msg', { hasText: 'my answer' });
    await mine.hover();
    await mine.getByRole('button', { name: 'Reply' }).waitFor();
    assert.equal(await mine.getByRole('button', { name: 'Report' }).count(), 0);

    await msg.hover();
    await msg.getByRole('button', { name: 'Report' }).click();
    const dialog = a.page.getByRole('dialog', { name: 'Report this message' });
    await dialog.getByRole('combobox', { name: 'Reason' }).selectOption('abuse');
    await dialog.getByRole('textbox', { name: 'Details (optional)' }).fill('threatening me');
    await dialog.getByRole('button', { name: 'Send report and block' }).click();
    await a.page.getByRole('status').getByText(/^Message reported; .+ is blocked\.$/).waitFor();
    assert.equal(await dialog.count(), 0, 'the dialog closed');

    // The stanza-id alice's server gave bob's message, and the report that named it.
    const delivered = received.find((f) => f.includes('buy cheap pills now'));
    assert.ok(delivered);
    const sid = attrsOf(delivered, 'stanza-id');
    assert.ok(sid?.id, 'the server gave the message a stanza-id');
    const report = sent.find((f) => f.includes('urn:xmpp:reporting:1'));
    assert.ok(report, 'a report went out');
    assert.deepEqual(attrsOf(report, 'item'), { jid: bob.jid });
    assert.equal(attrsOf(report, 'report')?.reason, 'urn:xmpp:reporting:abuse');
    assert.deepEqual(attrsOf(report, 'stanza-id'), { xmlns: 'urn:xmpp:sid:0', by: alice.jid, id: sid.id });
    assert.match(report, /<text>threatening me<\/text>/);

    // The server keeps the block: another client of alice's reads it from the blocklist.
    const { x, stop } = await rawClient(alice, { available: false });
    cleanup.push(stop);
    const list = await x.iqCaller.request(xml('iq', { type: 'get' }, xml('blocklist', { xmlns: 'urn:xmpp:blocking' })));
    assert.deepEqual(list.getChild('blocklist').getChildren('item').map((i) => i.attrs.jid), [bob.jid]);
    // And bob's messages are gone from the conversation.
    await until(async () => (await a.page.locator('cc-chat-view').getByText('buy cheap pills now').count()) === 0, 'bob\'s messages hidden');
    assert.deepEqual(a.errors, []);
    await a.ctx.close();
  });
});

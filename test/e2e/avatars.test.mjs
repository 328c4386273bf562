// Avatars and capabilities against real Prosody: another client publishes pictures (XEP-0084) and the
// browser shows them, live updates included; the browser answers disco#info and its caps verify.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { xml } from '@xmpp/client';
import { befriend, launchBrowser, newAccount, openAs, rawClient, startStaticServer, until } from '../support/e2e.mjs';
import { solidPng } from '../support/png.mjs';

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

/** A Node client, available or not; stopped after the tests. */
async function online(account, available = false) {
  const r = await rawClient(account, { available });
  cleanup.push(r.stop);
  return r;
}

/** Publishes a picture the way other XMPP clients do: data node first, then metadata. */
async function publishAvatar(x, png) {
  const id = createHash('sha1').update(png).digest('hex');
  const pubsub = (node, payload) => xml('iq', { type: 'set' }, xml('pubsub', { xmlns: 'http://jabber.org/protocol/pubsub' },
    xml('publish', { node }, xml('item', { id }, payload))));
  await x.iqCaller.request(pubsub('urn:xmpp:avatar:data', xml('data', { xmlns: 'urn:xmpp:avatar:data' }, png.toString('base64'))));
  await x.iqCaller.request(pubsub('urn:xmpp:avatar:metadata', xml('metadata', { xmlns: 'urn:xmpp:avatar:metadata' },
    xml('info', { id, type: 'image/png', bytes: String(png.length) }))));
}

/** Natural width of the picture shown for `jid` in the conversation list (0: initials). */
const listPictureWidth = (page, jid) => page.locator(`li[data-jid="${jid}"] img.avatar`).evaluate((img) => img.complete ? img.naturalWidth : 0).catch(() => 0);

describe('avatars', () => {
  it('a contact\'s published picture shows in the list and header, and a new one replaces it live', async () => {
    const alice = newAccount('alice');
    const bob = newAccount('bob');
    const carol = newAccount('carol');
    await befriend(alice, bob, carol);
    const { x: bx } = await online(bob);
    // (Retried like the disco query below: publishing twice is harmless.)
    await until(() => publishAvatar(bx, solidPng(8, [200, 40, 40])).then(() => true), 'first picture published');

    const a = await openAs(browser, web.origin, alice, { mode: 'embedded' });
    cleanup.push(() => a.ctx.close());
    await until(async () => (await listPictureWidth(a.page, bob.jid)) === 8, 'bob\'s picture in alice\'s list');
    // Carol has none: initials stay.
    await a.page.locator(`li[data-jid="${carol.jid}"] span.avatar`).waitFor();

    // Bob changes it while alice is online: the server notifies her (she asked via caps +notify).
    await until(() => publishAvatar(bx, solidPng(16, [40, 40, 200])).then(() => true), 'second picture published');
    await until(async () => (await listPictureWidth(a.page, bob.jid)) === 16, 'the new picture, pushed live');
    await a.page.getByRole('option', { name: bob.user }).click();
    await until(() => a.page.locator('cc-chat-view header img.avatar').evaluate((i) => i.naturalWidth === 16).catch(() => false), 'picture in the header');
    assert.deepEqual(a.errors, []);
  });
});

describe('service discovery about the browser client', () => {
  it('answers disco#info with its features, and the caps hash in its presence verifies', async () => {
    const alice = newAccount('alice');
    const bob = newAccount('bob');
    await befriend(alice, bob);
    const { x: bx, got } = await online(bob, true);
    const a = await openAs(browser, web.origin, alice, { mode: 'embedded' });
    cleanup.push(() => a.ctx.close());

    const p = await until(() => got.find((s) => s.is('presence') && String(s.attrs.from).startsWith(alice.jid) && s.getChild('c', 'http://jabber.org/protocol/caps')), 'alice\'s presence with caps');
    const c = p.getChild('c', 'http://jabber.org/protocol/caps');
    // (Retried: the Node library's stream management sometimes drops its own stream right after login.)
    const res = await until(() => bx.iqCaller.request(xml('iq', { type: 'get', to: p.attrs.from },
      xml('query', { xmlns: 'http://jabber.org/protocol/disco#info', node: `${c.attrs.node}#${c.attrs.ver}` }))), 'disco#info answer');
    const q = res.getChild('query', 'http://jabber.org/protocol/disco#info');
    const features = q.getChildren('feature').map((f) => f.attrs.var);
    for (const f of ['urn:xmpp:receipts', 'urn:xmpp:chat-markers:0', 'urn:xmpp:avatar:metadata+notify', 'http://jabber.org/protocol/disco#info']) {
      assert.ok(features.includes(f), `advertises ${f}`);
    }
    // XEP-0115 §5.1, computed here independently of the client's own code.
    const ids = q.getChildren('identity').map((i) => `${i.attrs.category}/${i.attrs.type}/${i.attrs['xml:lang'] ?? ''}/${i.attrs.name ?? ''}`).sort();
    const s = [...ids, ...[...features].sort()].map((v) => `${v}<`).join('');
    assert.equal(createHash('sha1').update(s).digest('base64'), c.attrs.ver);

    const unknown = await until(() => bx.iqCaller.request(xml('iq', { type: 'get', to: p.attrs.from },
      xml('query', { xmlns: 'http://jabber.org/protocol/disco#info', node: 'urn:example:nothing' }))).catch((e) => e.condition && e), 'disco#info error');
    assert.equal(unknown.condition, 'item-not-found');
    assert.deepEqual(a.errors, []);
  });
});

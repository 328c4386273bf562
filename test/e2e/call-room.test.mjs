// Group calls in a room: a mesh of pairwise Jingle sessions between the room's occupants, at most
// four participants. Each participant is its own browser context with fake camera and microphone.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { client, xml } from '@xmpp/client';
import { launchBrowser, newAccount, pageUrl, stack, startStaticServer, unique, until } from '../support/e2e.mjs';
import { openCall, peerStats, waitUntil } from './call-support.mjs';

/** @type {import('playwright-core').Browser} */ let browser;
/** @type {Awaited<ReturnType<typeof startStaticServer>>} */ let web;

before(async () => {
  [browser, web] = await Promise.all([launchBrowser(), startStaticServer()]);
});
after(async () => {
  await browser?.close();
  await web?.close();
});

describe('cc-call in a room', () => {
  it('three participants all receive each other\'s media; a fourth may join; a fifth is refused', async () => {
    const room = `${unique('call')}@conference.${stack.domain}`;
    const names = ['alice', 'bob', 'carol', 'dave', 'erin'];
    const users = names.map((n) => newAccount(n));
    const open = (u, video) => openCall(browser, pageUrl(web.origin, {
      service: stack.service, jid: u.jid, password: u.password, room, ...(video ? { video: '' } : {}),
    }, 'cc-call'));
    const pages = [];
    for (const [i, u] of users.slice(0, 3).entries()) {
      const p = await open(u, true);
      pages.push(p);
      await p.ready();
      await p.page.getByRole('button', { name: 'Join call' }).click();
      // Joins are one after another, as people do; each newcomer calls those already in.
      await p.page.getByRole('button', { name: 'Hang up' }).waitFor();
      if (i > 0) await waitUntil(async () => (await peerStats(p.page)).length === i, `${names[i]} connected to ${i} others`);
    }
    for (const [i, p] of pages.entries()) {
      const first = await waitUntil(async () => {
        const s = await peerStats(p.page);
        return s.length === 2 && s.every((x) => x.framesDecoded > 0 && x.audioBytesReceived > 0) && s;
      }, `${names[i]} receiving video and audio from both others`);
      await waitUntil(async () => (await peerStats(p.page)).every((x, k) => x.framesDecoded > first[k].framesDecoded), `${names[i]}: frames keep coming from both`);
      const others = names.slice(0, 3).filter((n) => n !== names[i]);
      for (const n of others) await p.page.getByRole('img', { name: `Video of ${n}` }).or(p.page.getByLabel(`Video of ${n}`)).waitFor();
    }

    // Fourth, audio only; then the fifth is refused with a clear message.
    const d = await open(users[3], false);
    await d.ready();
    await d.page.getByRole('button', { name: 'Join call' }).click();
    await waitUntil(async () => {
      const s = await peerStats(d.page);
      return s.length === 3 && s.every((x) => x.audioBytesReceived > 0);
    }, 'dave hearing all three');
    const e = await open(users[4], false);
    await e.ready();
    await e.page.getByRole('button', { name: 'Join call' }).click();
    await e.page.getByText('calls in a room are limited to 4').waitFor();
    assert.equal((await e.events('cc-call-ended'))[0].reason, 'full');
    assert.equal((await peerStats(e.page)).length, 0);

    // Leaving: the others drop that participant.
    await d.page.getByRole('button', { name: 'Hang up' }).click();
    for (const p of pages) await waitUntil(async () => (await peerStats(p.page)).length === 2, 'dave gone from the mesh');
    assert.deepEqual([...pages, d, e].flatMap((p) => p.errors), []);
    await Promise.all([...pages, d, e].map((p) => p.close()));
  });
});

const INVITES = 'urn:xmpp:call-invites:0';
const MUJI = 'urn:xmpp:jingle:muji:0';
const MUC = 'http://jabber.org/protocol/muc';

/** A plain XMPP client (not cc) in `room` as `nick`, not in the call; every stanza it gets is kept. */
async function occupant(t, me, room, nick) {
  const x = client({ service: stack.service, domain: stack.domain, username: me.user, password: me.password, resource: unique('raw') });
  x.on('error', (e) => console.log(`raw client ${me.user}: ${e.message}`));
  /** @type {import('@xmpp/client').Element[]} */
  const got = [];
  x.on('stanza', (s) => got.push(s));
  await x.start();
  t.after(() => x.stop().catch(() => {}));
  // Stanzas before stream management is on throw the library's ack count off (the server then ends the stream).
  await until(() => x.streamManagement.enabled, `${nick}'s stream management`);
  await x.send(xml('presence', { to: `${room}/${nick}` }, xml('x', { xmlns: MUC })));
  await until(() => got.some((s) => s.is('presence') && s.attrs.from === `${room}/${nick}` && s.getChild('x', `${MUC}#user`)?.getChildren('status').some((c) => c.attrs.code === '110')), `${nick} in the room`);
  return { x, got };
}

describe('cc-call in a room: Call Invites (XEP-0482)', () => {
  it('starting a room call sends the invite into the room, as an occupant not in the call receives it; joining a running call sends none', async (t) => {
    const room = `${unique('invite')}@conference.${stack.domain}`;
    const [alice, bob, carol] = ['alice', 'bob', 'carol'].map((n) => newAccount(n));
    const c = await occupant(t, carol, room, 'carol');
    const invites = () => c.got.filter((s) => s.is('message') && s.getChild('invite', INVITES));
    const open = (u) => openCall(browser, pageUrl(web.origin, { service: stack.service, jid: u.jid, password: u.password, room, video: '' }, 'cc-call'));
    const a = await open(alice);
    t.after(() => a.close());
    await a.ready();
    await a.page.getByRole('button', { name: 'Join call' }).click();
    await a.page.getByRole('button', { name: 'Hang up' }).waitFor();

    const [m] = await waitUntil(() => invites().length && invites(), 'carol receiving the call invite');
    assert.equal(m.attrs.type, 'groupchat');
    assert.equal(m.attrs.from, `${room}/${alice.user}`);
    const invite = m.getChild('invite', INVITES);
    assert.deepEqual({ video: invite.attrs.video, audio: invite.attrs.audio }, { video: 'true', audio: 'true' });
    // The way to join: the room's Muji call (the XEP leaves join methods to other specifications).
    const ways = invite.getChildElements();
    assert.deepEqual(ways.map((w) => [w.name, w.attrs.xmlns, w.attrs.room]), [['muji', MUJI, room]]);
    // In a room, retracts and replies name the invite by the room's stanza-id (XEP-0359), so the
    // invite must carry one; and it is kept in the room's archive for those who come later.
    assert.ok(m.getChildren('stanza-id', 'urn:xmpp:sid:0').some((s) => s.attrs.by === room && s.attrs.id), 'the room stamped a stanza-id');
    assert.ok(m.getChild('store', 'urn:xmpp:hints'), 'a store hint');
    // Who is in the call shows in presence (Muji): carol sees alice's.
    assert.ok(c.got.some((s) => s.is('presence') && s.attrs.from === `${room}/${alice.user}` && s.getChild('muji', MUJI)), 'alice\'s presence says she is in the call');

    // Bob joins the running call: connected to alice, but no second invite.
    const b = await open(bob);
    t.after(() => b.close());
    await b.ready();
    await b.page.getByRole('button', { name: 'Join call' }).click();
    await waitUntil(async () => (await peerStats(b.page)).some((x) => x.framesDecoded > 0), 'bob receiving alice');
    await waitUntil(() => c.got.some((s) => s.is('presence') && s.attrs.from === `${room}/${bob.user}` && s.getChild('muji', MUJI)), 'bob in the call, for carol');
    // Bob's stanzas reach the room in order: his invite, had he sent one, went before his session
    // with alice; and a message of carol's that comes back to her now comes after it.
    const mark = unique('mark');
    await c.x.send(xml('message', { to: room, type: 'groupchat', id: mark }, xml('body', {}, mark)));
    await waitUntil(() => c.got.some((s) => s.is('message') && s.getChildText('body') === mark), 'carol\'s own message back');
    assert.equal(invites().length, 1, 'one invite for the call');
    assert.deepEqual([...a.errors, ...b.errors], []);
  });
});

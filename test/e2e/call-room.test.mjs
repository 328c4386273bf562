// Group calls in a room: a mesh of pairwise Jingle sessions between the room's occupants, at most
// four participants. Each participant is its own browser context with fake camera and microphone.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { launchBrowser, newAccount, pageUrl, stack, startStaticServer, unique } from '../support/e2e.mjs';
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

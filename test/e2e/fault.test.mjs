// Fault injection: alice and bob (two browser contexts) write 500 messages each to each other
// through a proxy that cuts their links 20 times at random moments, while the server is restarted
// twice. At the end both show all 1,000 messages exactly once, in each sender's order, and none
// stays pending. A private
// Prosody (it gets restarted); CC_FAULT_SEED replays a run's timing.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { makeContacts } from '../../server/contacts.mjs';
import { client, xml } from '@xmpp/client';
import { chatOnline, launchBrowser, openAs, readConversation, startStaticServer, unique, until } from '../support/e2e.mjs';
import { privateStack } from '../support/whiteboard.mjs';
import { startProxy } from '../support/ws-proxy.mjs';

const PER_SIDE = 500;
const CUTS = 20;
const RESTARTS_AFTER_CUT = [6, 13];

/** @type {import('playwright-core').Browser} */ let browser;
/** @type {Awaited<ReturnType<typeof startStaticServer>>} */ let web;

before(async () => {
  [browser, web] = await Promise.all([launchBrowser(), startStaticServer()]);
});
after(async () => {
  await browser?.close();
  await web?.close();
});

/** A small seeded generator, so a failing run's fault timing can be replayed. */
function random(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const pause = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Types `n` messages into the composer, one every few tens of ms (the page's own clock), as a user
 * sends them: through the textbox and Enter, the same path as the keyboard.
 */
const typeMessages = (page, prefix, n) => page.evaluate(async ([p, count]) => {
  const view = () => document.querySelector('cc-chat').shadowRoot.querySelector('cc-chat-view');
  for (let i = 0; i < count; i++) {
    const box = view().shadowRoot.querySelector('cc-chat-composer').shadowRoot.querySelector('textarea');
    box.value = `${p} ${String(i).padStart(3, '0')}`;
    box.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
    box.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, composed: true, cancelable: true }));
    await new Promise((r) => setTimeout(r, 20 + Math.random() * 40));
  }
}, [prefix, n]);

describe('fault injection', () => {
  it(`${PER_SIDE} messages each way through ${CUTS} cut links and ${RESTARTS_AFTER_CUT.length} server restarts: all shown once in each sender's order, none pending`, async (t) => {
    const seed = Number(process.env.CC_FAULT_SEED ?? Date.now() % 1e9);
    const rand = random(seed);
    t.diagnostic(`seed ${seed} (CC_FAULT_SEED=${seed} replays this run's fault timing)`);
    const started = Date.now();
    const server = await privateStack();
    t.after(() => server.dispose());
    const proxy = await startProxy(server.stack.ports.http);
    t.after(() => proxy.close());
    const alice = server.account('alice');
    const bob = server.account('bob');
    await Promise.all((await makeContacts(server.service, server.stack.domain, [alice, bob], 'setup')).map((s) => s.x.stop()));

    const a = await openAs(browser, web.origin, alice, { mode: 'embedded', with: bob.jid, service: proxy.service }, { width: 800, height: 2000 });
    const b = await openAs(browser, web.origin, bob, { mode: 'embedded', with: alice.jid, service: proxy.service }, { width: 800, height: 2000 });
    t.after(() => Promise.all([a.ctx.close(), b.ctx.close()]));
    // What went over each link, kept for a failure's report.
    const frames = { alice: [], bob: [] };
    for (const [name, page] of [['alice', a.page], ['bob', b.page]]) {
      page.on('websocket', (ws) => {
        const log = (dir) => (f) => frames[name].push([Date.now() - started, dir, String(f.payload).slice(0, 400)]);
        frames[name].push([Date.now() - started, 'open', ws.url()]);
        ws.on('framesent', log('>')).on('framereceived', log('<')).on('close', () => frames[name].push([Date.now() - started, 'close']));
      });
    }
    /** On failure: what each side holds and what went over the links, for reading. */
    const report = async () => {
      const stores = {};
      for (const [name, page] of [['alice', a.page], ['bob', b.page]]) {
        stores[name] = await page.evaluate(() => document.querySelector('cc-chat').shadowRoot.querySelector('cc-chat-view').conv.$messages.get()
          .map((m) => [m.body, m.timestamp, m.stanzaId, m.status, m.direction])).catch((e) => String(e));
      }
      const file = `.runtime/fault-${seed}.json`;
      writeFileSync(file, JSON.stringify({ seed, stores, frames }));
      t.diagnostic(`stores and frames written to ${file}`);
    };
    await Promise.all([chatOnline(a.page, 30000), chatOnline(b.page, 30000)]);
    // Each sees the other online: both sessions are fully up (presence sent) before anyone writes.
    await Promise.all([a.page, b.page].map((p) => p.locator('cc-chat-view .presence').getByText('online', { exact: true }).waitFor({ timeout: 30000 })));

    // Both write while the links are cut at random moments and the server goes down twice.
    const writing = Promise.all([typeMessages(a.page, 'alice', PER_SIDE), typeMessages(b.page, 'bob', PER_SIDE)]);
    let restarts = 0;
    for (let cut = 1; cut <= CUTS;) {
      // A cut with no link up would cut nothing: wait for one, then let it live a random while.
      await until(() => proxy.active > 0, 'a link to cut', 60000);
      await pause(100 + rand() * 1200);
      if (proxy.active === 0) continue;
      proxy.cut();
      if (RESTARTS_AFTER_CUT.includes(cut)) {
        await server.stack.restart();
        restarts++;
      } else if (rand() < 0.3) {
        // Sometimes the network stays away a little.
        proxy.refuse();
        await pause(rand() * 1500);
        proxy.open();
      }
      cut++;
    }
    await writing;
    assert.equal(restarts, RESTARTS_AFTER_CUT.length);
    t.diagnostic(`${CUTS} links cut, ${restarts} restarts; faults over after ${((Date.now() - started) / 1000).toFixed(1)} s`);

    const expected = (who) => Array.from({ length: PER_SIDE }, (_, i) => `${who} ${String(i).padStart(3, '0')}`);
    /** @type {string[]} */
    const misordered = [];
    try {
      await verify();
    } catch (e) {
      await report();
      throw e;
    }
    if (misordered.length) await report();
    assert.deepEqual(misordered, [], 'each sender’s messages show in the order they were written');
    assert.deepEqual([...a.errors, ...b.errors], []);
    t.diagnostic(`${proxy.links} links made; ran ${((Date.now() - started) / 1000).toFixed(1)} s in all`);

    async function verify() {
      for (const [name, page] of [['alice', a.page], ['bob', b.page]]) {
        let rows = [];
        await until(async () => {
          rows = await readConversation(page);
          const shown = new Set(rows.map((r) => r.t));
          return [...expected('alice'), ...expected('bob')].every((m) => shown.has(m)) && rows.every((r) => r.status !== 'pending');
        }, `${name} to show all ${2 * PER_SIDE} messages, none pending`, 180000).catch((e) => {
          const shown = new Set(rows.map((r) => r.t));
          const missing = [...expected('alice'), ...expected('bob')].filter((m) => !shown.has(m));
          throw new Error(`${e.message}; missing ${missing.length} (${missing.slice(0, 8).join(', ')}), pending ${rows.filter((r) => r.status === 'pending').length}`);
        });
        for (const who of ['alice', 'bob']) {
          const theirs = rows.map((r) => r.t).filter((m) => m.startsWith(`${who} `));
          assert.deepEqual([...theirs].sort(), expected(who), `${name} shows ${who}'s messages once each`);
          const at = theirs.findIndex((m, i) => m !== expected(who)[i]);
          if (at >= 0) misordered.push(`${name} shows ${theirs.slice(Math.max(0, at - 1), at + 3).join(', ')}…`);
        }
        assert.equal(rows.length, 2 * PER_SIDE, `${name} shows nothing else`);
        assert.deepEqual(rows.filter((r) => r.status === 'failed'), [], `${name} has no failed message`);
      }
    }
  });

  it('a joined room catches up from its archive when the stream cannot be resumed (the server restarted)', async (t) => {
    const server = await privateStack();
    t.after(() => server.dispose());
    const proxy = await startProxy(server.stack.ports.http);
    t.after(() => proxy.close());
    const alice = server.account('alice');
    const bob = server.account('bob');
    const room = `${unique('room')}@conference.${server.stack.domain}`;

    // Bob (a plain client) makes a persistent room, so it and its archive outlive the restart.
    const x = client({ service: server.service, domain: server.stack.domain, username: bob.user, password: bob.password, resource: unique('bob') });
    x.on('error', () => {});
    await x.start();
    t.after(() => x.stop().catch(() => {}));
    await until(() => x.streamManagement.enabled, 'bob’s stream management');
    const joined = new Promise((r) => x.on('stanza', (st) => {
      if (st.is('presence') && st.getChild('x', 'http://jabber.org/protocol/muc#user')?.getChildren('status').some((c) => c.attrs.code === '110')) r(undefined);
    }));
    await x.send(xml('presence', { to: `${room}/bob` }, xml('x', { xmlns: 'http://jabber.org/protocol/muc' })));
    await joined;
    await x.iqCaller.request(xml('iq', { type: 'set', to: room }, xml('query', { xmlns: 'http://jabber.org/protocol/muc#owner' },
      xml('x', { xmlns: 'jabber:x:data', type: 'submit' },
        xml('field', { var: 'FORM_TYPE' }, xml('value', {}, 'http://jabber.org/protocol/muc#roomconfig')),
        xml('field', { var: 'muc#roomconfig_persistentroom' }, xml('value', {}, '1'))))));
    const post = (text) => x.send(xml('message', { to: room, type: 'groupchat', id: unique('g') }, xml('body', {}, text)));
    const text = (i) => `room ${String(i).padStart(3, '0')}`;

    const a = await openAs(browser, web.origin, alice, { mode: 'embedded', room, nick: 'alice', service: proxy.service });
    t.after(() => a.ctx.close());
    await a.page.locator('cc-chat-view header .name').waitFor();
    await post(text(0));
    await a.page.locator('cc-chat-view .msg .body').getByText(text(0), { exact: true }).waitFor({ timeout: 30000 });

    // Alice's link goes; the room goes on without her; then the server restarts, so her stream is gone.
    proxy.refuse();
    proxy.cut();
    await until(() => a.page.evaluate(() => document.querySelector('cc-chat')?.shadowRoot?.querySelector('.status')?.textContent === 'Reconnecting…'), 'alice offline');
    for (let i = 1; i <= 60; i++) await post(text(i));
    await x.iqCaller.request(xml('iq', { type: 'get', to: server.stack.domain }, xml('ping', { xmlns: 'urn:xmpp:ping' })));
    await server.stack.restart();
    proxy.open();

    const expected = Array.from({ length: 61 }, (_, i) => text(i));
    let shown = [];
    await until(async () => {
      shown = (await readConversation(a.page)).map((r) => r.t).filter((b) => b.startsWith('room '));
      return shown.length >= expected.length;
    }, 'alice to show the room’s 61 messages', 60000).catch((e) => { throw new Error(`${e.message}; shown ${shown.length}`); });
    assert.deepEqual(shown, expected, 'each once, in order');
    assert.deepEqual(a.errors, []);
  });
});

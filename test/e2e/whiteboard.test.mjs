// cc-whiteboard between isolated browser contexts, through the built dist/cc.js, against real Prosody.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as Y from 'yjs';
import { launchBrowser, newAccount, pageUrl, stack, startStaticServer } from '../support/e2e.mjs';
import {
  authors, canonical, configureRoom, count, drag, onBoard, openBoard, privateStack, recordOverlayText, roomName, roomObserver, scenePixel, until,
  waitCount, waitPainted, waitReady,
} from '../support/whiteboard.mjs';

/** @type {import('playwright-core').Browser} */ let browser;
/** @type {Awaited<ReturnType<typeof startStaticServer>>} */ let web;

before(async () => {
  [browser, web] = await Promise.all([launchBrowser(), startStaticServer()]);
});
after(async () => {
  await browser?.close();
  await web?.close();
});

const open = (me, attrs) => openBoard(browser, web.origin, stack, me, attrs);

describe('cc-whiteboard: live collaboration', () => {
  it('a stroke drawn by alice appears on bob\'s board; ordinary room clients get no text from it', async () => {
    const room = roomName();
    const a = await open(newAccount('alice'), { room });
    const observer = await roomObserver(stack, newAccount('observer'), room);
    const b = await open(newAccount('bob'), { room });
    await a.page.getByRole('button', { name: 'Pen' }).click();
    await drag(a.page, [[100, 200], [160, 230], [220, 200]]);
    await waitCount(b.page, 1);
    // Bob sees it painted where alice drew it.
    await waitPainted(b.page, 160, 228, 4);
    assert.equal(await canonical(b.page), await canonical(a.page));
    // On the wire: payload stanzas in our namespace, none with a <body>; cursors carry no-store hints.
    await until(() => observer.messages.some((m) => m.getChild('update', 'urn:x-cc:wb:0')), 'the update at a plain client');
    // Alice's pointer moved while drawing: her cursor went out too.
    await until(() => observer.messages.some((m) => m.getChild('cursor', 'urn:x-cc:wb:0')), 'a cursor at a plain client');
    for (const m of observer.messages) assert.equal(m.getChild('body'), undefined, m.toString());
    for (const m of observer.messages.filter((x) => x.getChild('cursor', 'urn:x-cc:wb:0'))) {
      assert.ok(m.getChild('no-store', 'urn:xmpp:hints') && m.getChild('no-permanent-store', 'urn:xmpp:hints'), m.toString());
    }
    await observer.stop();
    assert.deepEqual([...a.errors, ...b.errors], []);
    await Promise.all([a.ctx.close(), b.ctx.close()]);
  });

  it('remote cursors show the other participant\'s name; cursor stanzas go at most 20 times a second, unarchived', async () => {
    const room = roomName();
    const a = await open(newAccount('alice'), { room, nick: 'Alice Cursor' });
    const observer = await roomObserver(stack, newAccount('observer'), room);
    const b = await openBoard(browser, web.origin, stack, newAccount('bob'), { room }, undefined, (p) => p.addInitScript(recordOverlayText));
    const fromAlice = (m) => m.attrs.from === `${room}/Alice Cursor` && m.getChild('cursor', 'urn:x-cc:wb:0') && !m.getChild('cursor', 'urn:x-cc:wb:0').attrs.gone;
    const before = observer.messages.length;

    // A burst of pointer moves over the board for just under a second (no button pressed).
    await a.page.evaluate(() => { window.ccMoves = 0; document.addEventListener('pointermove', () => window.ccMoves++, true); });
    const box = await a.page.locator('cc-whiteboard canvas.overlay').boundingBox();
    let last = [0, 0];
    const t0 = Date.now();
    for (let i = 0; Date.now() - t0 < 950; i++) {
      last = [100 + (i % 300), 150 + (i % 90)];
      await a.page.mouse.move(box.x + last[0], box.y + last[1]);
    }
    const moves = await a.page.evaluate(() => window.ccMoves);
    assert.ok(moves > 40, `only ${moves} pointer moves: not enough to show a rate limit`);
    // The last position always goes out (the camera is at the origin: board units are CSS px).
    await until(() => observer.messages.slice(before).some((m) => fromAlice(m)
      && m.getChild('cursor', 'urn:x-cc:wb:0').attrs.x === String(last[0]) && m.getChild('cursor', 'urn:x-cc:wb:0').attrs.y === String(last[1])), 'alice\'s final cursor position');
    const cursors = observer.messages.slice(before).filter(fromAlice);
    assert.ok(cursors.length >= 1 && cursors.length <= 21, `${cursors.length} cursor stanzas for ${moves} moves in under a second`);
    for (const m of cursors) assert.ok(m.getChild('no-store', 'urn:xmpp:hints') && m.getChild('no-permanent-store', 'urn:xmpp:hints'), m.toString());

    // Bob sees alice's cursor where she left it, labelled with her name.
    await until(() => b.page.evaluate(() => window.ccOverlayTexts().includes('Alice Cursor')), 'alice\'s name painted on bob\'s overlay');
    await until(() => b.page.evaluate(([x, y]) => {
      const c = document.querySelector('cc-whiteboard').shadowRoot.querySelector('canvas.overlay');
      const dpr = c.width / c.clientWidth;
      return c.getContext('2d').getImageData(Math.round((x + 1) * dpr), Math.round((y + 9) * dpr), 1, 1).data[3] > 0;
    }, last), 'alice\'s cursor arrow at her last position on bob\'s board');
    await observer.stop();
    assert.deepEqual([...a.errors, ...b.errors], []);
    await Promise.all([a.ctx.close(), b.ctx.close()]);
  });

  it('undo removes only alice\'s last stroke, even after bob drew on top of it', async () => {
    const room = roomName();
    const a = await open(newAccount('alice'), { room });
    const b = await open(newAccount('bob'), { room });
    await drag(a.page, [[100, 100], [300, 100]]);
    await drag(a.page, [[100, 200], [300, 200]]);
    await waitCount(b.page, 2);
    // Bob draws across both of alice's strokes.
    await drag(b.page, [[200, 50], [200, 250]]);
    await waitCount(a.page, 3);
    await a.page.getByRole('button', { name: 'Undo' }).click();
    await waitCount(b.page, 2);
    await waitCount(a.page, 2);
    const who = await authors(b.page);
    assert.deepEqual(who.map((j) => j.split('-')[0]), ['alice', 'bob']);
    // The remaining alice stroke is her first one (y = 100), not the one she drew last.
    const ys = await onBoard(b.page, (board) => [...board.elements.values()].filter((e) => e.author.startsWith('alice')).map((e) => Math.round(e.y)));
    assert.ok(ys.every((y) => Math.abs(y - 100) < 10), `alice's first stroke stays, got y=${ys}`);
    // Bob's stroke is still painted for alice, alice's undone stroke is not.
    await waitPainted(a.page, 200, 150);
    assert.equal((await scenePixel(a.page, 120, 200))[3], 0);
    // Redo brings it back for both.
    await a.page.getByRole('button', { name: 'Redo' }).click();
    await waitCount(b.page, 3);
    assert.equal(await canonical(a.page), await canonical(b.page));
    await Promise.all([a.ctx.close(), b.ctx.close()]);
  });
});

/**
 * Runs `n` seeded random operations on the page's board with small random pauses (so peers interleave),
 * and returns the ids and fields of the elements this user authored, as this user sees them at the end.
 * Only the author deletes, restyles, restacks or undoes their own elements; anyone moves anyone's.
 */
function randomOps(page, seed, n) {
  return onBoard(page, async (board, _el, { seed, n }) => {
    let s = seed;
    const rand = () => {
      s = (s + 0x6d2b79f5) | 0;
      let t = s;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const me = board.author;
    const own = () => [...board.elements.values()].filter((e) => e.author === me).map((e) => e.id);
    const any = () => [...board.elements.keys()];
    const pick = (ids) => ids[Math.floor(rand() * ids.length)];
    const colors = ['#111827', '#e11d48', '#2563eb', '#16a34a'];
    for (let i = 0; i < n; i++) {
      const r = rand();
      const mine = own();
      const all = any();
      if (r < 0.35 || !all.length) {
        const type = ['rectangle', 'ellipse', 'arrow', 'pen'][Math.floor(rand() * 4)];
        const x = rand() * 800;
        const y = rand() * 500;
        const base = { color: pick(colors), width: 1 + Math.floor(rand() * 6) };
        if (type === 'pen') {
          const points = [];
          for (let k = 0; k < 12; k++) points.push(Math.round(k * 5), Math.round(rand() * 30), 0.5);
          board.add({ type, x, y, w: 55, h: 30, pw: 55, ph: 30, points, ...base });
        } else {
          board.add({ type, x, y, w: 20 + rand() * 100, h: 20 + rand() * 80, ...base });
        }
      } else if (r < 0.55) board.move([pick(all)], rand() * 40 - 20, rand() * 40 - 20);
      else if (r < 0.65 && mine.length) board.remove([pick(mine)]);
      else if (r < 0.75) board.undo();
      else if (r < 0.8) board.redo();
      else if (r < 0.87 && mine.length) board.bringForward([pick(mine)]);
      else if (r < 0.92 && mine.length) board.sendBackward([pick(mine)]);
      else if (mine.length) board.update(pick(mine), { color: pick(colors) });
      if (rand() < 0.5) await new Promise((res) => setTimeout(res, Math.floor(rand() * 12)));
    }
    const mineNow = [...board.elements.values()].filter((e) => e.author === me);
    return Object.fromEntries(mineNow.map(({ x: _x, y: _y, ...rest }) => [rest.id, rest]));
  }, { seed, n });
}

describe('cc-whiteboard: convergence', () => {
  it('three users editing concurrently (300 seeded random operations) end with identical scenes', async () => {
    const room = roomName();
    const users = [newAccount('alice'), newAccount('bob'), newAccount('carol')];
    const boards = [];
    for (const u of users) boards.push(await open(u, { room }));
    const pages = boards.map((b) => b.page);
    const own = await Promise.all(pages.map((p, i) => randomOps(p, 1000 + i, 100)));
    const scenes = await until(async () => {
      const c = await Promise.all(pages.map(canonical));
      return c.every((x) => x === c[0]) && c;
    }, 'the three scenes to converge', 30000);
    assert.equal(scenes[1], scenes[0]);
    assert.equal(scenes[2], scenes[0]);
    // …and the common scene holds exactly what each user made and kept, as that user left it
    // (positions aside: everyone moved everyone's elements).
    const final = Object.fromEntries(JSON.parse(scenes[0]));
    boards.forEach((b, i) => {
      const mine = Object.entries(final).filter(([, e]) => e.author === b.me.jid);
      assert.deepEqual(mine.map(([id]) => id).sort(), Object.keys(own[i]).sort(), `${b.me.user}'s elements`);
      for (const [id, e] of mine) {
        const { x: _x, y: _y, ...rest } = e;
        const { id: _id, ...expected } = own[i][id];
        assert.deepEqual(rest, expected, `${b.me.user}'s element ${id}`);
      }
    });
    assert.ok(Object.keys(final).length > 10);
    // Drawn order agrees as well.
    const orders = await Promise.all(pages.map((p) => onBoard(p, (board) => board.ordered().map((e) => e.id).join())));
    assert.equal(orders[1], orders[0]);
    assert.equal(orders[2], orders[0]);
    assert.deepEqual(boards.flatMap((b) => b.errors), []);
    await Promise.all(boards.map((b) => b.ctx.close()));
  });
});

/** Removes the board from the page (it leaves the room) and waits until the account is off the server. */
async function leave(board, server) {
  await board.page.evaluate(() => document.querySelector('cc-whiteboard').remove());
  await until(() => server.stack.sessionsOf(board.me.jid).length === 0, `${board.me.user} to be offline`);
  await board.ctx.close();
}

/** Adds `n` rectangles, one update each, paced so they travel as separate room messages. */
function addMany(page, n, x0) {
  return onBoard(page, async (board, _el, { n, x0 }) => {
    for (let i = 0; i < n; i++) {
      board.add({ type: 'rectangle', x: x0 + (i % 10) * 30, y: Math.floor(i / 10) * 30, w: 20, h: 20, color: '#2563eb', width: 2 });
      await new Promise((r) => setTimeout(r, 20));
    }
  }, { n, x0 });
}

describe('cc-whiteboard: late join and persistence', () => {
  it('with nobody online, and again after a server restart, a newcomer gets all 200 elements', async () => {
    // A private Prosody: this test restarts it.
    const server = await privateStack();
    const openOn = (me, attrs) => openBoard(browser, web.origin, server, me, attrs);
    try {
      const room = roomName();
      const a = await openOn(server.account('alice'), { room });
      const b = await openOn(server.account('bob'), { room });
      await Promise.all([addMany(a.page, 100, 0), addMany(b.page, 100, 400)]);
      await Promise.all([waitCount(a.page, 200), waitCount(b.page, 200)]);
      const scene = await canonical(a.page);
      assert.equal(await canonical(b.page), scene);
      const sent = (await onBoard(a.page, (_b, el) => el._sync.stats.sentUpdates)) + (await onBoard(b.page, (_b, el) => el._sync.stats.sentUpdates));
      await leave(a, server);
      await leave(b, server);

      const c = await openOn(server.account('carol'), { room });
      await waitCount(c.page, 200);
      assert.equal(await canonical(c.page), scene);
      await waitPainted(c.page, 10, 1);
      // Joining started from a compacted snapshot rather than replaying every update.
      const read = await onBoard(c.page, (_b, el) => el._sync.stats.archiveItems);
      assert.ok(read < sent, `read ${read} archived stanzas for ${sent} updates`);
      await leave(c, server);

      await server.stack.restart();
      const d = await openOn(server.account('dave'), { room });
      await waitCount(d.page, 200);
      assert.equal(await canonical(d.page), scene);
      assert.deepEqual([...a.errors, ...b.errors, ...c.errors, ...d.errors], []);
      await d.ctx.close();
    } finally {
      await server.dispose();
    }
  });
});

describe('cc-whiteboard: late join from peers', () => {
  it('in a room that keeps no archive, a latecomer gets the board from a participant online (sync request)', async () => {
    const room = roomName();
    // Archiving off: the only way to the board is a peer answering the newcomer's sync request.
    const owner = await configureRoom(stack, newAccount('owner'), room, { 'muc#roomconfig_persistentroom': '1', 'muc#roomconfig_enablearchiving': '0' });
    const a = await open(newAccount('alice'), { room });
    await addMany(a.page, 30, 0);
    await waitCount(a.page, 30);
    const observer = await roomObserver(stack, newAccount('observer'), room);
    const b = await open(newAccount('bob'), { room });
    await waitCount(b.page, 30);
    assert.equal(await canonical(b.page), await canonical(a.page));
    assert.equal(await onBoard(b.page, (_b, el) => el._sync.stats.archiveItems), 0, 'nothing came from the archive');
    // Bob asked the room (unarchived); alice's answer went to him privately, not to the room.
    const sync = await until(() => observer.messages.find((m) => m.attrs.from === `${room}/bob` && m.getChild('sync', 'urn:x-cc:wb:0')), 'bob\'s sync request in the room');
    assert.ok(sync.getChild('no-store', 'urn:xmpp:hints'), sync.toString());
    await observer.stop();
    await owner.stop();
    assert.deepEqual([...a.errors, ...b.errors], []);
    await Promise.all([a.ctx.close(), b.ctx.close()]);
  });
});

describe('cc-whiteboard: offline edits', () => {
  it('bob draws while his link is cut; after reconnecting both see both users\' strokes', async () => {
    const room = roomName();
    const a = await open(newAccount('alice'), { room });
    // Cutting the link: Playwright's setOffline blocks new connections but leaves an open WebSocket
    // working, so the page also records its sockets and the test closes them while offline.
    const bob = newAccount('bob');
    const ctx = await browser.newContext({ viewport: { width: 900, height: 640 } });
    await ctx.addInitScript(() => {
      const Native = window.WebSocket;
      window.__ccSockets = [];
      window.WebSocket = class extends Native {
        constructor(...args) {
          super(...args);
          window.__ccSockets.push(this);
        }
      };
    });
    const page = await ctx.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e));
    await page.goto(pageUrl(web.origin, { service: stack.service, jid: bob.jid, password: bob.password, nick: 'bob', room }, 'cc-whiteboard'));
    await waitReady(page);

    await drag(a.page, [[100, 100], [200, 100]]);
    await waitCount(page, 1);

    await ctx.setOffline(true);
    await page.evaluate(() => window.__ccSockets.forEach((s) => s.close()));
    await page.getByRole('status').filter({ hasText: 'Offline' }).waitFor().catch(async (e) => {
      const st = await page.evaluate(() => { const el = document.querySelector('cc-whiteboard'); return [el.session.connection.$state.get(), el.shadowRoot.querySelector('.status').outerHTML, window.__ccSockets.map((s) => s.readyState).join()]; });
      throw new Error(`${e.message}: ${JSON.stringify(st)}`);
    });

    await drag(page, [[100, 300], [300, 300]]);
    await drag(page, [[100, 400], [300, 400]]);
    await drag(a.page, [[500, 100], [600, 150]]);
    await waitCount(a.page, 2);
    assert.equal(await count(page), 3, 'bob keeps his offline strokes');
    await page.getByRole('status').filter({ hasText: 'your changes will be sent' }).waitFor();

    await ctx.setOffline(false);
    await Promise.all([waitCount(a.page, 4), waitCount(page, 4)]);
    await until(async () => (await canonical(a.page)) === (await canonical(page)), 'both scenes to agree');
    const who = (await authors(a.page)).map((j) => j.split('-')[0]);
    assert.deepEqual(who, ['alice', 'alice', 'bob', 'bob']);
    await waitPainted(a.page, 200, 400);
    await waitPainted(page, 550, 125, 10);
    assert.deepEqual([...a.errors, ...errors], []);
    await Promise.all([a.ctx.close(), ctx.close()]);
  });
});

/**
 * Init script: a link the test can cut at the WebSocket, across reloads. While sessionStorage says
 * it is cut, every socket the page opens is closed at once (the page itself still loads over HTTP).
 */
function cuttableLink() {
  const Native = window.WebSocket;
  const sockets = [];
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      if (sessionStorage.getItem('ccCut')) this.close();
      else sockets.push(this);
    }
  };
  window.ccCutLink = () => {
    sessionStorage.setItem('ccCut', '1');
    sockets.forEach((s) => s.close());
  };
}

/** The elements `me`'s page keeps on the device for `room`, not yet confirmed by the room (null: none). */
async function storedEdits(page, me, room) {
  const bytes = await page.evaluate(async ({ name, key }) => {
    const req = (r) => new Promise((resolve, reject) => { r.onsuccess = () => resolve(r.result); r.onerror = () => reject(r.error); });
    if (!(await indexedDB.databases()).some((d) => d.name === name)) return null;
    const db = await req(indexedDB.open(name));
    try {
      const v = db.objectStoreNames.contains('meta') ? await req(db.transaction('meta').objectStore('meta').get(key)) : undefined;
      return v ? [...v] : null;
    } finally {
      db.close();
    }
  }, { name: `cc:${me.jid}|${stack.service}`, key: `wb:${room}` });
  if (!bytes) return null;
  const doc = new Y.Doc();
  Y.applyUpdate(doc, Uint8Array.from(bytes));
  return [...doc.getMap('elements').values()].filter((m) => !m.has('deleted')).map((m) => m.get('author'));
}

describe('cc-whiteboard: offline edits across a reload', () => {
  it('bob draws offline and reloads before the link returns: his strokes come back, then reach alice exactly once', async () => {
    const room = roomName();
    const a = await open(newAccount('alice'), { room });
    const bob = newAccount('bob');
    const b = await openBoard(browser, web.origin, stack, bob, { room }, undefined, (p) => p.addInitScript(cuttableLink));
    const page = b.page;
    await drag(a.page, [[100, 100], [200, 100]]);
    await waitCount(page, 1);

    await page.evaluate(() => window.ccCutLink());
    await page.getByRole('status').filter({ hasText: 'Offline' }).waitFor();
    await drag(page, [[100, 300], [300, 300]]);
    await drag(page, [[100, 400], [300, 400]]);
    await drag(a.page, [[500, 100], [600, 150]]);
    await waitCount(a.page, 2);
    await until(async () => (await storedEdits(page, bob, room))?.length === 2, 'bob\'s two strokes kept on his device');

    await page.reload();
    // Still offline: the reloaded board shows his strokes and says they are still to be sent.
    await waitCount(page, 2);
    await waitPainted(page, 200, 400);
    await page.getByRole('status').filter({ hasText: 'your changes will be sent' }).waitFor();
    assert.equal(await count(a.page), 2, 'nothing of bob\'s reached alice while he was offline');

    // The network comes back (the browser's online event fires on the way).
    await b.ctx.setOffline(true);
    await page.evaluate(() => sessionStorage.removeItem('ccCut'));
    await b.ctx.setOffline(false);
    await Promise.all([waitCount(a.page, 4), waitCount(page, 4)]);
    await until(async () => (await canonical(a.page)) === (await canonical(page)), 'both scenes to agree');
    assert.deepEqual((await authors(a.page)).map((j) => j.split('-')[0]), ['alice', 'alice', 'bob', 'bob']);
    await waitPainted(a.page, 200, 400);
    await waitPainted(page, 550, 125, 10);
    // Confirmed by the room: the device forgets them.
    await until(async () => (await storedEdits(page, bob, room)) === null, 'the stored edits to be cleared');
    assert.equal(await count(a.page), 4);
    assert.deepEqual([...a.errors, ...b.errors], []);
    await Promise.all([a.ctx.close(), b.ctx.close()]);
  });
});

describe('cc-whiteboard: export, read-only, clear', () => {
  it('PNG and SVG exports (methods and the Export menu) contain the drawn elements', async () => {
    const a = await open(newAccount('alice'), { room: roomName() });
    const p = a.page;
    await p.getByRole('button', { name: 'Rectangle' }).click();
    await p.getByRole('textbox', { name: 'Colour' }).or(p.getByLabel('Colour')).first().evaluate((el) => {
      el.value = '#ff0000';
      el.dispatchEvent(new Event('input', { bubbles: true }));
    });
    await drag(p, [[100, 100], [300, 250]]);
    await p.getByRole('button', { name: 'Pen' }).click();
    await p.getByLabel('Colour').evaluate((el) => {
      el.value = '#0000ff';
      el.dispatchEvent(new Event('input', { bubbles: true }));
    });
    await drag(p, [[400, 100], [500, 200], [600, 100]]);
    await waitCount(p, 2);
    const svg = await p.evaluate(async () => {
      const blob = await document.querySelector('cc-whiteboard').exportSVG();
      const doc = new DOMParser().parseFromString(await blob.text(), 'image/svg+xml');
      return { type: blob.type, kinds: [...doc.querySelectorAll('[data-type]')].map((e) => `${e.getAttribute('data-type')}:${e.getAttribute('stroke') ?? e.getAttribute('fill')}`) };
    });
    assert.equal(svg.type, 'image/svg+xml');
    assert.deepEqual(svg.kinds, ['rectangle:#ff0000', 'pen:#0000ff']);
    const png = await p.evaluate(async () => {
      const blob = await document.querySelector('cc-whiteboard').exportPNG();
      const bmp = await createImageBitmap(blob);
      const c = new OffscreenCanvas(bmp.width, bmp.height);
      const ctx = c.getContext('2d');
      ctx.drawImage(bmp, 0, 0);
      const d = ctx.getImageData(0, 0, bmp.width, bmp.height).data;
      let red = 0, blue = 0;
      for (let i = 0; i < d.length; i += 4) {
        if (d[i] > 200 && d[i + 1] < 60 && d[i + 2] < 60) red++;
        if (d[i + 2] > 200 && d[i] < 60 && d[i + 1] < 60) blue++;
      }
      return { type: blob.type, w: bmp.width, h: bmp.height, red, blue };
    });
    assert.equal(png.type, 'image/png');
    assert.ok(png.red > 500, `red rectangle pixels: ${png.red}`);
    assert.ok(png.blue > 100, `blue stroke pixels: ${png.blue}`);
    // The toolbar's Export menu downloads the same SVG.
    await p.getByRole('button', { name: 'Export' }).click();
    const [download] = await Promise.all([p.waitForEvent('download'), p.getByRole('menuitem', { name: 'Download SVG' }).click()]);
    const file = await download.createReadStream();
    let text = '';
    for await (const chunk of file) text += chunk;
    assert.match(text, /data-type="rectangle"/);
    assert.match(text, /data-type="pen"/);
    await a.ctx.close();
  });

  it('a readonly board shows live updates but offers no tools', async () => {
    const room = roomName();
    const a = await open(newAccount('alice'), { room });
    const v = await open(newAccount('viewer'), { room, readonly: '' });
    const tools = ['Select', 'Pen', 'Rectangle', 'Ellipse', 'Arrow', 'Text', 'Eraser', 'Undo', 'Redo', 'Export'];
    for (const name of tools) {
      assert.equal(await a.page.getByRole('button', { name, exact: true }).count(), 1, `alice has ${name}`);
      assert.equal(await v.page.getByRole('button', { name, exact: true }).count(), 0, `viewer has no ${name}`);
    }
    assert.equal(await v.page.getByLabel('Colour').count(), 0);
    await drag(a.page, [[100, 100], [300, 100]]);
    await waitCount(v.page, 1);
    await waitPainted(v.page, 200, 100);
    // Dragging on a read-only board pans; it draws nothing.
    await drag(v.page, [[100, 300], [300, 300]]);
    await drag(a.page, [[100, 200], [300, 200]]);
    await waitCount(v.page, 2);
    assert.equal(await count(a.page), 2);
    assert.equal(await count(v.page), 2);
    await Promise.all([a.ctx.close(), v.ctx.close()]);
  });

  it('clear() empties the board for a room moderator and is refused to others', async () => {
    const room = roomName();
    const a = await open(newAccount('alice'), { room });
    const b = await open(newAccount('bob'), { room });
    await drag(a.page, [[100, 100], [300, 100]]);
    await waitCount(b.page, 1);
    const refused = await b.page.evaluate(async () => {
      const el = document.querySelector('cc-whiteboard');
      const seen = [];
      el.addEventListener('cc-error', (e) => seen.push(e.detail.code));
      try {
        await el.clear();
        return 'cleared';
      } catch (e) {
        return `${e.code}: ${e.message} / ${seen.join()}`;
      }
    });
    assert.equal(refused, 'forbidden: Only a moderator of the room can clear the board / forbidden');
    assert.equal(await count(a.page), 1);
    await a.page.evaluate(() => document.querySelector('cc-whiteboard').clear());
    await Promise.all([waitCount(a.page, 0), waitCount(b.page, 0)]);
    await Promise.all([a.ctx.close(), b.ctx.close()]);
  });
});

describe('cc-whiteboard: tools by mouse and keyboard', () => {
  const els = (page) => onBoard(page, (board) => board.ordered().map(({ type, x, y, w, h, text }) => ({ type, x: Math.round(x), y: Math.round(y), w: Math.round(w), h: Math.round(h), text })));

  it('draws shapes and text, selects, moves, resizes, erases, deletes, undoes and zooms', async () => {
    const a = await open(newAccount('alice'), { room: roomName() });
    const p = a.page;
    const tool = (name) => p.getByRole('button', { name, exact: true }).click();
    await tool('Rectangle');
    await drag(p, [[100, 150], [200, 230]]);
    await tool('Ellipse');
    await drag(p, [[300, 150], [400, 250]]);
    await tool('Arrow');
    await drag(p, [[500, 200], [650, 200]]);
    await tool('Text');
    const box = await p.locator('cc-whiteboard canvas.overlay').boundingBox();
    await p.mouse.click(box.x + 100, box.y + 400);
    const editor = p.getByRole('textbox', { name: 'Text' });
    await editor.waitFor();
    await editor.pressSequentially('Hello <b>world</b>');
    await editor.press('Control+Enter');
    await waitCount(p, 4);
    let now = await els(p);
    assert.deepEqual(now.map((e) => e.type), ['rectangle', 'ellipse', 'arrow', 'text']);
    assert.deepEqual(now[0], { type: 'rectangle', x: 100, y: 150, w: 100, h: 80, text: undefined });
    assert.deepEqual(now[2], { type: 'arrow', x: 500, y: 200, w: 150, h: 0, text: undefined });
    assert.equal(now[3].text, 'Hello <b>world</b>');
    // User text is painted, never parsed as markup.
    assert.equal(await p.locator('cc-whiteboard b').count(), 0);

    // Select the rectangle by its edge and drag it.
    await tool('Select');
    await drag(p, [[100, 190], [150, 210]]);
    await p.getByRole('button', { name: 'Delete', exact: true }).waitFor();
    now = await els(p);
    assert.deepEqual([now[0].x, now[0].y], [150, 170]);
    // Resize it from its bottom-right handle.
    await drag(p, [[250, 250], [300, 300]]);
    now = await els(p);
    assert.deepEqual([now[0].x, now[0].y, now[0].w, now[0].h], [150, 170, 150, 130]);
    // The move and the resize are one undo step each.
    await p.keyboard.press('Control+z');
    now = await els(p);
    assert.deepEqual([now[0].x, now[0].y, now[0].w, now[0].h], [150, 170, 100, 80]);
    await p.keyboard.press('Control+Shift+z');
    await p.keyboard.press('Delete');
    await waitCount(p, 3);

    // The eraser removes what it is dragged across.
    await tool('Eraser');
    await drag(p, [[575, 170], [575, 230]]);
    await waitCount(p, 2);
    assert.deepEqual((await els(p)).map((e) => e.type), ['ellipse', 'text']);

    // Marquee selection, then the Delete button.
    await tool('Select');
    await drag(p, [[280, 130], [420, 270]]);
    await p.getByRole('button', { name: 'Delete', exact: true }).click();
    await waitCount(p, 1);
    await p.keyboard.press('Control+z');
    await waitCount(p, 2);

    // Zoom buttons and the wheel.
    await p.getByRole('button', { name: 'Zoom in' }).click();
    await p.getByRole('button', { name: 'Reset zoom' }).filter({ hasText: '125%' }).waitFor();
    await p.mouse.move(box.x + 400, box.y + 300);
    await p.mouse.wheel(0, 300);
    assert.ok(await p.evaluate(() => document.querySelector('cc-whiteboard').renderer.camera.zoom < 1.25));
    await p.getByRole('button', { name: 'Reset zoom' }).click();
    await p.getByRole('button', { name: 'Reset zoom' }).filter({ hasText: '100%' }).waitFor();
    // Space + drag pans instead of drawing.
    await tool('Pen');
    await p.locator('cc-whiteboard canvas.overlay').focus();
    await p.keyboard.down(' ');
    await drag(p, [[400, 400], [300, 350]]);
    await p.keyboard.up(' ');
    assert.equal(await count(p), 2);
    const cam = await p.evaluate(() => { const c = document.querySelector('cc-whiteboard').renderer.camera; return [Math.round(c.x), Math.round(c.y)]; });
    assert.notDeepEqual(cam, [0, 0]);
    assert.deepEqual(a.errors, []);
    await a.ctx.close();
  });

  it('has no accessibility violations (axe) with a selection and the export menu open', async () => {
    const a = await open(newAccount('alice'), { room: roomName() });
    const p = a.page;
    await p.getByRole('button', { name: 'Rectangle', exact: true }).click();
    await drag(p, [[100, 150], [200, 230]]);
    await p.getByRole('button', { name: 'Select', exact: true }).click();
    await drag(p, [[100, 190], [110, 190]]);
    await p.getByRole('button', { name: 'Delete', exact: true }).waitFor();
    await p.getByRole('button', { name: 'Export', exact: true }).click();
    await p.addScriptTag({ path: 'node_modules/axe-core/axe.min.js' });
    const violations = await p.evaluate(async () => {
      const r = await window.axe.run(document.querySelector('cc-whiteboard'), { runOnly: ['wcag2a', 'wcag2aa'] });
      return r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    });
    assert.deepEqual(violations, []);
    await a.ctx.close();
  });

  it('an image dropped on the board is uploaded (XEP-0363) and shown to peers by URL', async () => {
    const room = roomName();
    const a = await open(newAccount('alice'), { room });
    const b = await open(newAccount('bob'), { room });
    const dropped = await a.page.evaluate(async () => {
      const el = document.querySelector('cc-whiteboard');
      const c = new OffscreenCanvas(80, 60);
      const ctx = c.getContext('2d');
      ctx.fillStyle = '#00ff00';
      ctx.fillRect(0, 0, 80, 60);
      const file = new File([await c.convertToBlob({ type: 'image/png' })], 'green.png', { type: 'image/png' });
      const dt = new DataTransfer();
      dt.items.add(file);
      const target = el.shadowRoot.querySelector('canvas.overlay');
      const r = target.getBoundingClientRect();
      const at = { clientX: r.left + 200, clientY: r.top + 200, bubbles: true, composed: true, cancelable: true, dataTransfer: dt };
      const outcome = new Promise((resolve) => {
        el.addEventListener('cc-error', (e) => resolve(e.detail.message), { once: true });
        el.addEventListener('cc-board-change', () => resolve('added'), { once: true });
      });
      target.dispatchEvent(new DragEvent('dragover', at));
      target.dispatchEvent(new DragEvent('drop', at));
      return outcome;
    });
    assert.equal(dropped, 'added');
    await waitCount(b.page, 1);
    const img = await onBoard(b.page, (board) => board.ordered()[0]);
    assert.equal(img.type, 'image');
    assert.match(img.src, /^http:\/\/localhost:\d+\//);
    assert.deepEqual([img.x, img.y, img.w, img.h], [200, 200, 80, 60]);
    // Bob's board loads it from the upload service and paints it.
    await b.page.waitForFunction(() => {
      const c = document.querySelector('cc-whiteboard').shadowRoot.querySelector('canvas.scene');
      const dpr = c.width / c.clientWidth;
      const d = c.getContext('2d').getImageData(Math.round(240 * dpr), Math.round(230 * dpr), 1, 1).data;
      return d[1] > 200 && d[0] < 50;
    }, null, { polling: 50, timeout: 15000 });
    await Promise.all([a.ctx.close(), b.ctx.close()]);
  });
});

// Whiteboard figures (SPEC §9), measured and printed, never asserted:
//  - frames per second while panning a 5,000-element board, and the cost of our frame work;
//  - remote stroke latency: pointer-up at A → the stroke rendered at B, p50/p95 over loopback.
// Runs its own Prosody on free loopback ports and headless Chromium on the built dist/cc.js.
//   npm run build && node --experimental-websocket bench/whiteboard.mjs [figures.json]
// With a file name it also writes the figures there (bench/run.mjs puts them in its table).
import { existsSync, writeFileSync } from 'node:fs';
import { launchBrowser, startStaticServer } from '../test/support/e2e.mjs';
import { openBoard, privateStack, roomName, waitCount } from '../test/support/whiteboard.mjs';

const ELEMENTS = 5000;
const PAN_FRAMES = 300;
const STROKES = 40;

if (!existsSync('dist/cc.js')) {
  console.error('dist/cc.js is missing: run `npm run build` first');
  process.exit(1);
}

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const ms = (n) => `${n.toFixed(1)} ms`;

const server = await privateStack();
const [browser, web] = await Promise.all([launchBrowser(), startStaticServer()]);
try {
  const room = roomName();
  const viewport = { width: 1280, height: 800 };
  const a = await openBoard(browser, web.origin, server, server.account('alice'), { room }, viewport);

  // ── 5,000 elements spread over about 8 × 8 screens, then pan across them ──────────────────
  await a.page.evaluate((n) => {
    const board = document.querySelector('cc-whiteboard').board;
    let seed = 12345;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const colors = ['#111827', '#e11d48', '#2563eb', '#16a34a', '#d97706'];
    board.batch(() => {
      for (let i = 0; i < n; i++) {
        const x = rand() * 10000 - 1000;
        const y = rand() * 6400 - 800;
        const color = colors[i % colors.length];
        const k = i % 5;
        if (k < 2) {
          const points = [];
          let px = 0, py = 0;
          for (let j = 0; j < 40; j++) {
            px += rand() * 8;
            py += rand() * 8 - 4;
            points.push(Math.round(px * 10) / 10, Math.round((py + 40) * 10) / 10, 0.5);
          }
          board.add({ type: 'pen', x, y, w: px, h: 80, pw: px, ph: 80, points, color, width: 3 });
        } else if (k === 2) board.add({ type: 'rectangle', x, y, w: 40 + rand() * 120, h: 30 + rand() * 90, color, width: 2 });
        else if (k === 3) board.add({ type: 'ellipse', x, y, w: 40 + rand() * 120, h: 30 + rand() * 90, color, width: 2 });
        else board.add({ type: 'arrow', x, y, w: rand() * 200 - 100, h: rand() * 200 - 100, color, width: 2 });
      }
    });
  }, ELEMENTS);
  await waitCount(a.page, ELEMENTS, 60000);

  const pan = await a.page.evaluate((frames) => new Promise((resolve) => {
    const el = document.querySelector('cc-whiteboard');
    const r = el.renderer;
    const costs = [];
    const orig = el.frame.bind(el);
    el.frame = () => {
      const t = performance.now();
      orig();
      costs.push(performance.now() - t);
    };
    const before = { ...r.stats };
    const stamps = [];
    let i = 0;
    const tick = (t) => {
      stamps.push(t);
      if (i++ >= frames) {
        el.frame = orig;
        const gaps = stamps.slice(1).map((s, k) => s - stamps[k]);
        resolve({
          fps: (1000 * (stamps.length - 1)) / (stamps[stamps.length - 1] - stamps[0]),
          gaps, costs, fullRedraws: r.stats.fullRedraws - before.fullRedraws, blits: r.stats.blits - before.blits,
          visible: r.stats.drawn - before.drawn,
        });
        return;
      }
      r.panBy(-9, -4);
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  }), PAN_FRAMES);

  // ── remote stroke latency ───────────────────────────────────────────────────────────────
  const b = await openBoard(browser, web.origin, server, server.account('bob'), { room }, viewport);
  await waitCount(b.page, ELEMENTS, 60000);
  // B notes when each new element is first on screen (after the frame that drew it).
  await b.page.evaluate(() => {
    const el = document.querySelector('cc-whiteboard');
    window.__rendered = new Map();
    window.__arrived = new Map();
    const fresh = new Set();
    el.board.onChange((ids) => ids.forEach((id) => {
      if (!el.board.get(id)) return;
      fresh.add(id);
      if (!window.__arrived.has(id)) window.__arrived.set(id, performance.timeOrigin + performance.now());
    }));
    const orig = el.frame.bind(el);
    el.frame = () => {
      orig();
      const now = performance.timeOrigin + performance.now();
      for (const id of fresh) if (!window.__rendered.has(id)) window.__rendered.set(id, now);
      fresh.clear();
    };
  });
  await a.page.evaluate(() => {
    window.__ups = [];
    window.addEventListener('pointerup', () => window.__ups.push(performance.timeOrigin + performance.now()), true);
  });
  await a.page.getByRole('button', { name: 'Pen' }).click();
  const box = await a.page.locator('cc-whiteboard canvas.overlay').boundingBox();
  const latencies = [];
  const arrivals = [];
  for (let i = 0; i < STROKES; i++) {
    const y = box.y + 150 + (i % 20) * 25;
    const before = await a.page.evaluate(() => new Set(document.querySelector('cc-whiteboard').board.elements.keys()).size);
    await a.page.mouse.move(box.x + 300, y);
    await a.page.mouse.down();
    for (let k = 1; k <= 10; k++) await a.page.mouse.move(box.x + 300 + k * 20, y + (k % 2) * 10);
    await a.page.mouse.up();
    const id = await a.page.evaluate((n) => {
      const board = document.querySelector('cc-whiteboard').board;
      return board.elements.size > n ? board.ordered().at(-1).id : null;
    }, before);
    const up = await a.page.evaluate(() => window.__ups.at(-1));
    const at = await (await b.page.waitForFunction((want) => window.__rendered.get(want), id, { polling: 10, timeout: 10000 })).jsonValue();
    latencies.push(at - up);
    arrivals.push((await b.page.evaluate((want) => window.__arrived.get(want), id)) - up);
  }

  const syncStats = await b.page.evaluate(() => document.querySelector('cc-whiteboard')._sync.stats);
  const snapshotsBy = await Promise.all([a, b].map((s) => s.page.evaluate(() => document.querySelector('cc-whiteboard')._sync.stats.sentSnapshots)));
  console.log(`whiteboard bench (${ELEMENTS} elements, viewport ${viewport.width}×${viewport.height}, headless Chromium, software rendering)`);
  console.log(`  pan: ${pan.fps.toFixed(1)} fps over ${PAN_FRAMES} frames (frame gap p50 ${ms(pct(pan.gaps, 50))}, p95 ${ms(pct(pan.gaps, 95))}, max ${ms(Math.max(...pan.gaps))})`);
  console.log(`       our frame work p50 ${ms(pct(pan.costs, 50))}, p95 ${ms(pct(pan.costs, 95))}, max ${ms(Math.max(...pan.costs))}; ${pan.fullRedraws} buffer redraws, ${pan.blits} blits`);
  console.log(`  remote stroke (pointer-up at A → rendered at B): p50 ${ms(pct(latencies, 50))}, p95 ${ms(pct(latencies, 95))} over ${STROKES} strokes`);
  console.log(`       of which in the model at B (network + apply): p50 ${ms(pct(arrivals, 50))}, p95 ${ms(pct(arrivals, 95))}`);
  console.log(`       slowest: ${[...latencies].sort((x, y) => y - x).slice(0, 3).map(ms).join(', ')}; snapshots written meanwhile: A ${snapshotsBy[0]}, B ${snapshotsBy[1]}`);
  console.log(`  late join of B: ${syncStats.archiveItems} archived stanzas read`);
  if (process.argv[2]) {
    writeFileSync(process.argv[2], JSON.stringify({
      fps: pan.fps, frameGapP95: pct(pan.gaps, 95), strokeP50: pct(latencies, 50), strokeP95: pct(latencies, 95),
    }));
  }
  await Promise.all([a.ctx.close(), b.ctx.close()]);
} finally {
  await browser.close();
  await web.close();
  await server.dispose();
}

// `npm run bench`: SPEC §9 figures for cc and, on the same page harness, the same Prosody, the same
// data and in the same run, for Converse.js (the npm package's dist). Headless Chromium against a
// local Prosody started here. Prints a table (medians of repeated runs) and writes
// bench/results/latest.json. Figures are measured, never asserted.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { client } from '@xmpp/client';
import { measure } from '../server/size-budget.mjs';
import { makeContacts } from '../server/contacts.mjs';
import { createStack } from '../server/devstack.mjs';
import { launchBrowser, startStaticServer, writeRoster } from '../test/support/e2e.mjs';
import { callSetup } from './call.mjs';
import { cc, converse } from './clients.mjs';
import { burst, coldStart } from './figures.mjs';
import { history, roster, seedHistory } from './scale.mjs';

const RUNS = Number(process.env.CC_BENCH_RUNS ?? 3);
const CONVERSE = 'node_modules/converse.js/dist';
const ROSTER = 10_000, ROSTER_TIMEOUT = 60_000;
const HISTORY = 5000, HISTORY_TIMEOUT = 180_000;
const converseVersion = JSON.parse(readFileSync('node_modules/converse.js/package.json', 'utf8')).version;
const median = (/** @type {number[]} */ xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
// Over repeated runs; null (did not finish, not shown in time) counts as worse than any number.
const medianOf = (/** @type {any[]} */ runs, /** @type {string} */ f) => { const m = median(runs.map((r) => r[f] ?? Infinity)); return m === Infinity ? null : m; };
/** Every run's figures, for the JSON. @type {Record<string, unknown>} */
const perRun = {};
const progress = (/** @type {string} */ what) => console.log(`  · ${what}`);

/** @type {{ figure: string, unit: string, cc: number | null, converse: number | null, ratio: number | null, budget: string, note?: string }[]} */
const rows = [];
function row(figure, unit, ccValue, converseValue, budget = '', missing = '—') {
  const ratio = ccValue != null && converseValue ? ccValue / converseValue : null;
  rows.push({ figure, unit, cc: ccValue, converse: converseValue, ratio, budget, ...(ccValue == null || converseValue == null ? { note: missing } : {}) });
}
function fmt(/** @type {(typeof rows)[number]} */ r, /** @type {number | null} */ v) {
  if (v == null) return r.note ?? '—';
  if (r.unit === 'bytes') return v >= 1048576 ? `${(v / 1048576).toFixed(1)} MB` : `${(v / 1024).toFixed(1)} KB`;
  // The browser reports long tasks from 50 ms up: none at all reads as 0.
  if (r.unit === 'ms' && v === 0 && r.figure.includes('longest')) return '< 50 ms';
  if (r.unit === 'ms') return `${Math.round(v)} ms`;
  if (r.unit === 'fps') return `${v.toFixed(1)} fps`;
  return String(v);
}

await run('npm', ['run', '--silent', 'build']);
console.log(`\nMeasuring cc and Converse.js ${converseVersion}, ${RUNS} run(s) each where repeated…`);

// ── Bundle sizes: what each ships (JS + CSS; Converse's locales and emoji data left out) ──────
const sizes = measure('dist');
const ccShipped = readdirRec('dist').filter((f) => f.endsWith('.js'));
const converseShipped = ['converse.min.js', 'converse.min.css', 'libomemo.esm.min.js', 'shared-connection-worker.js'].map((f) => join(CONVERSE, f));
row('bundle: first paint, static (gzip)', 'bytes', sizes.firstPaint, zipped(['converse.min.js', 'converse.min.css'].map((f) => join(CONVERSE, f)), 'gzip'), '≤ 40 KB');
row('bundle: everything shipped (gzip)', 'bytes', zipped(ccShipped, 'gzip'), zipped(converseShipped, 'gzip'), '≤ 150 KB');
row('bundle: everything shipped (brotli)', 'bytes', zipped(ccShipped, 'brotli'), zipped(converseShipped, 'brotli'));

const stack = createStack({ dir: `.runtime/bench-${process.pid}`, httpPort: 27280, c2sPort: 27281, componentPort: 27282, turnPort: 27283, quiet: true });
await stack.start();
const [browser, web] = await Promise.all([launchBrowser(), startStaticServer()]);
try {
  const user = (p) => { const u = `${p}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}`; stack.prosodyctl(['register', u, 'localhost', 'pw']); return { user: u, password: 'pw', jid: `${u}@localhost` }; };
  const login = async (acc) => { const x = client({ service: stack.service, domain: 'localhost', username: acc.user, password: acc.password, resource: 'bench' }); x.on('error', () => {}); await x.start(); return x; };
  const account = (a) => ({ service: stack.service, jid: a.jid, password: a.password });
  const pair = async (a, b) => Promise.all((await makeContacts(stack.service, 'localhost', [a, b], 'bench')).map((s) => s.x.stop()));

  // Cold start: one account with one contact, the same for both clients.
  progress('cold start');
  const alice = user('alice'); const bob = user('bob');
  await pair(alice, bob);
  const cold = { cc: await coldStart(browser, web.origin, cc, account(alice), RUNS), converse: await coldStart(browser, web.origin, converse, account(alice), RUNS) };
  perRun.coldStart = cold;
  row('bundle: loaded at cold start (gzip)', 'bytes', cold.cc.loaded.gzip, cold.converse.loaded.gzip);
  row('bundle: loaded at cold start (brotli)', 'bytes', cold.cc.loaded.brotli, cold.converse.loaded.brotli);
  row('cold start: navigation → online', 'ms', median(cold.cc.online), median(cold.converse.online));
  row('cold start: navigation → contact list shown', 'ms', median(cold.cc.list), median(cold.converse.list), '≤ 150 ms after script load');

  // Burst: each client gets its own fresh pair, so both start from an empty conversation.
  const bursts = { cc: [], converse: [] };
  for (let i = 0; i < RUNS; i++) {
    for (const [key, c] of [['cc', cc], ['converse', converse]]) {
      progress(`burst run ${i + 1}: ${c.name}`);
      const me = user('carol'); const peer = user('dave');
      await pair(me, peer);
      bursts[key].push(await burst(browser, web.origin, c, account(me), peer, login));
    }
  }
  perRun.burst = bursts;
  const b = (key, f) => medianOf(bursts[key], f);
  row('burst: 1,000 incoming → all in the client\'s store', 'ms', b('cc', 'stored'), b('converse', 'stored'), '', 'timed out');
  row('burst: 1,000 incoming → last one on screen', 'ms', b('cc', 'shown'), b('converse', 'shown'), '≤ 1 s', 'not shown');
  row('burst: messages received (of 1,000)', 'count', b('cc', 'count'), b('converse', 'count'), '= 1000');
  row('burst: longest main-thread task', 'ms', b('cc', 'longest'), b('converse', 'longest'), '≤ 100 ms');
  row('burst: sender wrote 1,000 messages in', 'ms', b('cc', 'sent'), b('converse', 'sent'));

  // Scale: one account with 10,000 contacts (written straight into the server's roster store) and
  // one conversation with 5,000 archived messages, read by both clients, each run in a fresh context.
  progress(`scale: seeding ${ROSTER} contacts and ${HISTORY} archived messages`);
  const big = user('roster');
  writeRoster(big, Array.from({ length: ROSTER }, (_, i) => ({ jid: `c${i}@localhost`, name: `Contact ${i}` })), stack);
  const reader = user('hist'); const writer = user('hist');
  await pair(reader, writer);
  await seedHistory(login, writer, reader, HISTORY);
  const scale = { cc: { roster: [], history: [] }, converse: { roster: [], history: [] } };
  for (let i = 0; i < RUNS; i++) {
    for (const [key, c] of [['cc', cc], ['converse', converse]]) {
      progress(`scale run ${i + 1}: ${c.name}`);
      scale[key].roster.push(await roster(browser, web.origin, c, account(big), ROSTER, ROSTER_TIMEOUT));
      scale[key].history.push(await history(browser, web.origin, c, account(reader), writer, HISTORY, HISTORY_TIMEOUT));
    }
  }
  perRun.scale = scale;
  const r = (key, f) => medianOf(scale[key].roster, f);
  const h = (key, f) => medianOf(scale[key].history, f);
  const notFinished = (s) => `did not finish in ${s / 1000} s`;
  row(`roster ${ROSTER.toLocaleString('en')}: online → list shown`, 'ms', r('cc', 'shown'), r('converse', 'shown'), '< 500 ms', notFinished(ROSTER_TIMEOUT));
  row(`roster ${ROSTER.toLocaleString('en')}: longest main-thread task`, 'ms', r('cc', 'longest'), r('converse', 'longest'), '≤ 50 ms', notFinished(ROSTER_TIMEOUT));
  row(`roster ${ROSTER.toLocaleString('en')}: JS heap`, 'bytes', r('cc', 'heap'), r('converse', 'heap'), '', notFinished(ROSTER_TIMEOUT));
  const stalled = [...scale.cc.history, ...scale.converse.history].some((x) => x.stopped === 'stall');
  row(`history ${HISTORY.toLocaleString('en')}: scrolled back to the first message`, 'ms', h('cc', 'scrolled'), h('converse', 'scrolled'), '', stalled ? 'stopped paging' : notFinished(HISTORY_TIMEOUT));
  row(`history ${HISTORY.toLocaleString('en')}: messages loaded by then`, 'count', h('cc', 'count'), h('converse', 'count'), `= ${HISTORY}`);
  row(`history ${HISTORY.toLocaleString('en')}: longest main-thread task (scroll)`, 'ms', h('cc', 'longest'), h('converse', 'longest'), '≤ 50 ms');
  row(`history ${HISTORY.toLocaleString('en')}: JS heap after the scroll`, 'bytes', h('cc', 'heap'), h('converse', 'heap'), '≤ 50 MB');

  // Call setup: cc-call only (Converse.js has no built-in audio/video calls).
  progress('call setup (cc only)');
  const erin = user('erin'); const frank = user('frank');
  await pair(erin, frank);
  row('call: Accept click → first remote frame', 'ms', median(await callSetup(browser, web.origin, stack.service, erin, frank, RUNS)), null, '≤ 1 s', 'no calls');
} finally {
  await browser.close();
  await web.close();
  await stack.stop();
}

// Whiteboard: cc only (Converse.js has none), one run with its own Prosody; it prints its details.
progress('whiteboard (cc only, bench/whiteboard.mjs)');
const wbFile = `.runtime/bench-whiteboard-${process.pid}.json`;
const wb = await run(process.execPath, ['--experimental-websocket', 'bench/whiteboard.mjs', wbFile])
  .then(() => JSON.parse(readFileSync(wbFile, 'utf8')), (e) => { console.log('  whiteboard bench failed:', e.message); return {}; });
rmSync(wbFile, { force: true });
row('whiteboard 5,000 elements: panning', 'fps', wb.fps ?? null, null, '≥ 50 fps', 'no whiteboard');
row('whiteboard: remote stroke, pointer-up → drawn (p50)', 'ms', wb.strokeP50 ?? null, null, '', 'no whiteboard');
row('whiteboard: remote stroke, pointer-up → drawn (p95)', 'ms', wb.strokeP95 ?? null, null, '≤ 60 ms', 'no whiteboard');

const table = [['figure', 'cc', 'Converse.js', 'ratio', 'budget (SPEC §9)'],
  ...rows.map((x) => [x.figure, fmt(x, x.cc), fmt(x, x.converse), x.ratio == null ? '—' : `${x.ratio.toFixed(2)}×`, x.budget])];
const width = table[0].map((_, i) => Math.max(...table.map((t) => t[i].length)));
console.log(`\ncc vs Converse.js ${converseVersion} — medians of ${RUNS} run(s) where repeated; ratio = cc ÷ Converse.js (lower is better)\n`);
for (const t of table) console.log(`  ${t[0].padEnd(width[0])}  ${t[1].padStart(width[1])}  ${t[2].padStart(width[2])}  ${t[3].padStart(width[3])}  ${t[4]}`);
console.log(`
  roster "shown": the list holds all ${ROSTER.toLocaleString('en')} contacts with its first screenful drawn, at the first animation
    frame where that holds, from the moment the client is online (cc: cc-ready; Converse.js: its 'connected').
    cc's list is virtual: a drawn row with aria-setsize=${ROSTER}. Converse.js draws every contact: ${ROSTER.toLocaleString('en')} rows in its
    roster groups. Its longest task counts from navigation to 1 s after; heap after a forced GC.
  history: the conversation opened with the newest message on screen, then the message list is flung to its top
    every 50 ms (when already there, a screen down first) until "history 0" is on screen; the longest task is over
    that scroll. Each client pages the archive its own way (Converse.js: 50 at a time, as its "load more"
    placeholder comes into view).
  Counts (messages received or loaded): higher is better, so there a ratio below 1 is cc's shortfall.
  "did not finish in N s": not reached within that time; "stopped paging": no new message for 30 s.
  Converse.js has no calls and no whiteboard: those rows are cc only (ratio —); the whiteboard figures are one run.`);

mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/latest.json', JSON.stringify({ at: new Date().toISOString(), runs: RUNS, converse: converseVersion, rows,
  perRun }, null, 2));
console.log('\n  written to bench/results/latest.json');

function zipped(/** @type {string[]} */ files, /** @type {'gzip' | 'brotli'} */ how) {
  return files.reduce((n, f) => n + (how === 'gzip' ? gzipSync(readFileSync(f), { level: 9 }) : brotliCompressSync(readFileSync(f))).length, 0);
}
function readdirRec(/** @type {string} */ dir) {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((f) => join(dir, f));
}
function run(cmd, args) {
  return new Promise((resolve, reject) => spawn(cmd, args, { stdio: 'inherit' }).on('exit', (c) => (c === 0 ? resolve(undefined) : reject(new Error(`${cmd} exited ${c}`)))));
}

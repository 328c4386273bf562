// `npm run bench`: SPEC §9 figures for cc and, on the same page harness, the same Prosody, the same
// data and in the same run, for Converse.js (the npm package's dist). Headless Chromium against a
// local Prosody started here. Prints a table (medians of repeated runs) and writes
// bench/results/latest.json. Figures are measured, never asserted.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { client } from '@xmpp/client';
import { measure } from '../server/size-budget.mjs';
import { makeContacts } from '../server/contacts.mjs';
import { createStack } from '../server/devstack.mjs';
import { launchBrowser, startStaticServer } from '../test/support/e2e.mjs';
import { callSetup } from './call.mjs';
import { cc, converse } from './clients.mjs';
import { burst, coldStart } from './figures.mjs';

const RUNS = Number(process.env.CC_BENCH_RUNS ?? 3);
const CONVERSE = 'node_modules/converse.js/dist';
const converseVersion = JSON.parse(readFileSync('node_modules/converse.js/package.json', 'utf8')).version;
const median = (/** @type {number[]} */ xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const kb = (/** @type {number} */ n) => `${(n / 1024).toFixed(1)} KB`;
const ms = (/** @type {number} */ n) => `${Math.round(n)} ms`;

/** @type {{ figure: string, unit: string, cc: number | null, converse: number | null, ratio: number | null, budget: string }[]} */
const rows = [];
function row(figure, unit, ccValue, converseValue, budget = '', missing = '—') {
  const ratio = ccValue != null && converseValue ? ccValue / converseValue : null;
  rows.push({ figure, unit, cc: ccValue, converse: converseValue, ratio, budget });
  const fmt = (v) => (v == null ? missing : unit === 'bytes' ? kb(v) : unit === 'ms' ? ms(v) : String(v));
  console.log(`  ${figure.padEnd(52)} ${fmt(ccValue).padStart(10)} ${fmt(converseValue).padStart(12)} ${(ratio == null ? '—' : `${ratio.toFixed(2)}×`).padStart(9)}  ${budget}`);
}

await run('npm', ['run', '--silent', 'build']);
console.log(`\ncc vs Converse.js ${converseVersion} — medians of ${RUNS} runs where repeated; ratio = cc ÷ Converse.js (lower is better)\n`);
console.log(`  ${'figure'.padEnd(52)} ${'cc'.padStart(10)} ${'Converse.js'.padStart(12)} ${'ratio'.padStart(9)}  budget (SPEC §9)`);

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

  // Cold start: one account with one contact, the same for both clients.
  const alice = user('alice'); const bob = user('bob');
  await Promise.all((await makeContacts(stack.service, 'localhost', [alice, bob], 'bench')).map((s) => s.x.stop()));
  const cold = { cc: await coldStart(browser, web.origin, cc, account(alice), RUNS), converse: await coldStart(browser, web.origin, converse, account(alice), RUNS) };
  row('bundle: loaded at cold start (gzip)', 'bytes', cold.cc.loaded.gzip, cold.converse.loaded.gzip);
  row('bundle: loaded at cold start (brotli)', 'bytes', cold.cc.loaded.brotli, cold.converse.loaded.brotli);
  row('cold start: navigation → online', 'ms', median(cold.cc.online), median(cold.converse.online));
  row('cold start: navigation → contact list shown', 'ms', median(cold.cc.list), median(cold.converse.list), '≤ 150 ms after script load');

  // Burst: each client gets its own fresh pair, so both start from an empty conversation.
  const bursts = { cc: [], converse: [] };
  for (let i = 0; i < RUNS; i++) {
    for (const [key, c] of [['cc', cc], ['converse', converse]]) {
      const me = user('carol'); const peer = user('dave');
      await Promise.all((await makeContacts(stack.service, 'localhost', [me, peer], 'bench')).map((s) => s.x.stop()));
      bursts[key].push(await burst(browser, web.origin, c, account(me), peer, login));
    }
  }
  // null (never stored or shown in time) counts as slower than any number.
  const b = (key, f) => { const xs = bursts[key].map((r) => r[f] ?? Infinity); const m = median(xs); return m === Infinity ? null : m; };
  row('burst: 1,000 incoming → all in the client\'s store', 'ms', b('cc', 'stored'), b('converse', 'stored'), '', 'timed out');
  row('burst: 1,000 incoming → last one on screen', 'ms', b('cc', 'shown'), b('converse', 'shown'), '≤ 1 s', 'not shown');
  row('burst: messages received (of 1,000)', 'count', b('cc', 'count'), b('converse', 'count'), '= 1000');
  row('burst: longest main-thread task', 'ms', b('cc', 'longest'), b('converse', 'longest'), '≤ 100 ms');
  row('burst: sender wrote 1,000 messages in', 'ms', b('cc', 'sent'), b('converse', 'sent'));

  // Call setup: cc-call only (Converse.js has no built-in audio/video calls).
  const erin = user('erin'); const frank = user('frank');
  await Promise.all((await makeContacts(stack.service, 'localhost', [erin, frank], 'bench')).map((s) => s.x.stop()));
  row('call: Accept click → first remote frame', 'ms', median(await callSetup(browser, web.origin, stack.service, erin, frank, RUNS)), null, '≤ 1 s', 'no calls');
} finally {
  await browser.close();
  await web.close();
  await stack.stop();
}

console.log('\n  scale (bench/scale.mjs):');
await run(process.execPath, ['--experimental-websocket', 'bench/scale.mjs']).catch((e) => console.log('  scale bench failed:', e.message));

console.log('\n  whiteboard, cc only (bench/whiteboard.mjs):');
await run(process.execPath, ['--experimental-websocket', 'bench/whiteboard.mjs']).catch((e) => console.log('  whiteboard bench failed:', e.message));

mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/latest.json', JSON.stringify({ at: new Date().toISOString(), runs: RUNS, converse: converseVersion, rows }, null, 2));
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

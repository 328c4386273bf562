// `npm test`: installs what is missing, type-checks, lints, builds (with the size budget), then runs
// every test in headless Chromium against a real Prosody started here and stopped at the end.
import { spawn } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { createServer as createNetServer } from 'node:net';
import { ensurePackages } from '../server/system.mjs';
import { testStack } from './support/stack-env.mjs';

const only = process.argv.slice(2).filter((a) => !a.startsWith('--'));
// Flags (e.g. --test-name-pattern=…) go to the end-to-end runner. --test-force-exit there: a failed
// test that leaves a socket open must fail the run, not hang it.
const flags = process.argv.slice(2).filter((a) => a.startsWith('--'));
ensurePackages(['prosody', 'prosody-modules', 'chromium', 'coturn']);

async function freePortBase() {
  const free = (/** @type {number} */ port) => new Promise((resolve) => {
    const srv = createNetServer().once('error', () => resolve(false)).listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
  for (;;) {
    const b = 20000 + Math.floor(Math.random() * 400) * 20;
    const ok = await Promise.all([0, 1, 2, 3, 4, 5].map((i) => free(b + i)));
    if (ok.every(Boolean)) return b;
  }
}

/** @param {string} name @param {string} cmd @param {string[]} args */
function run(name, cmd, args, env = {}) {
  const t = Date.now();
  console.log(`\n▶ ${name}`);
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
    p.on('exit', (code) => {
      console.log(`${code === 0 ? '✔' : '✘'} ${name} (${((Date.now() - t) / 1000).toFixed(1)} s)`);
      if (code === 0) resolve(undefined);
      else reject(new Error(`${name} failed`));
    });
  });
}

// Random free ports, so several runs (and a running demo) never collide.
const base = await freePortBase();
const env = {
  CC_TEST_DIR: `.runtime/test-${process.pid}`,
  CC_TEST_HTTP_PORT: String(base), CC_TEST_C2S_PORT: String(base + 1),
  CC_TEST_COMPONENT_PORT: String(base + 2), CC_TEST_TURN_PORT: String(base + 3),
};
Object.assign(process.env, env);
const stack = testStack();
let failed = false;
try {
  if (!only.length) {
    await run('type-check', 'npx', ['tsc', '-p', '.']);
    await run('lint', 'npx', ['eslint', '.']);
  }
  await run('build + size budget', 'npm', ['run', '--silent', 'build']);
  await stack.start();
  console.log(`Prosody for tests on ${stack.service} (pid ${stack.pid})`);
  const browserFiles = only.filter((f) => f.includes('browser'));
  if (!only.length || browserFiles.length) await run('browser tests (web-test-runner)', 'npx', ['web-test-runner', ...(browserFiles.length ? ['--files', ...browserFiles] : [])], env);
  // Node-side unit tests (test/unit: the package, the size budget) share the end-to-end runner.
  const nodeTests = (/** @type {string} */ dir) => readdirSync(dir).filter((f) => f.endsWith('.test.mjs')).map((f) => `${dir}/${f}`);
  const e2e = only.length ? only.filter((f) => f.includes('e2e') || f.includes('unit'))
    : [...nodeTests('test/unit'), ...nodeTests('test/e2e')];
  if (e2e.length) await run('unit (Node) and end-to-end tests (playwright)', process.execPath, ['--experimental-websocket', '--test', '--test-concurrency=1', '--test-force-exit', ...flags, ...e2e], env);
} catch (e) {
  failed = true;
  console.error(String(e));
} finally {
  await stack.stop();
  if (!failed) rmSync(stack.dir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);

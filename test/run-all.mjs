// `npm test`: installs what is missing, type-checks, lints, builds (with the size budget), then runs
// every test in headless Chromium against a real Prosody started here and stopped at the end.
import { spawn } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { ensurePackages } from '../server/system.mjs';
import { testStack } from './support/stack-env.mjs';

const only = process.argv.slice(2);
ensurePackages(['prosody', 'prosody-modules', 'chromium']);

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

const env = { CC_TEST_DIR: `.runtime/test-${process.pid}` };
process.env.CC_TEST_DIR = env.CC_TEST_DIR;
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
  const e2e = only.length ? only.filter((f) => f.includes('e2e'))
    : readdirSync('test/e2e').filter((f) => f.endsWith('.test.mjs')).map((f) => `test/e2e/${f}`);
  if (e2e.length) await run('end-to-end tests (playwright)', process.execPath, ['--experimental-websocket', '--test', '--test-concurrency=1', ...e2e], env);
} catch (e) {
  failed = true;
  console.error(String(e));
} finally {
  await stack.stop();
  if (!failed) rmSync(stack.dir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);

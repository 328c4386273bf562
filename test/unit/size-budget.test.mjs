// The build's size budget (server/size-budget.mjs) on small fixtures: what counts as first paint,
// and that an oversized bundle fails the check and the command.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { BUDGET, check, measure } from '../../server/size-budget.mjs';

const dirs = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A dist folder: cc.js importing `eager` statically and `lazy` on first use, each ~`kb` KB gzip. */
function fixture({ eager, lazy }) {
  const dir = mkdtempSync(join(tmpdir(), 'cc-budget-'));
  dirs.push(dir);
  mkdirSync(join(dir, 'chunks'));
  // Random bytes do not compress, so the gzip size is about the size of the data.
  const blob = (/** @type {number} */ kb) => `export const data = "${randomBytes(Math.round(kb * 1024)).toString('base64')}";\n`;
  writeFileSync(join(dir, 'cc.js'), `import{data as a}from"./chunks/eager-1.js";\nexport const load = () => import("./chunks/lazy-2.js");\n`);
  writeFileSync(join(dir, 'chunks/eager-1.js'), blob(eager));
  writeFileSync(join(dir, 'chunks/lazy-2.js'), blob(lazy));
  return dir;
}

const budget = (/** @type {string} */ dir) => spawnSync(process.execPath, ['server/size-budget.mjs', dir], { encoding: 'utf8' });

describe('size budget', () => {
  it('counts static imports as first paint and dynamic imports only in the total', () => {
    const m = measure(fixture({ eager: 10, lazy: 30 }));
    const size = (/** @type {string} */ f) => m.files.find((x) => x.file === f)?.gzip ?? 0;
    assert.equal(m.firstPaint, size('cc.js') + size('chunks/eager-1.js'));
    assert.equal(m.total, m.firstPaint + size('chunks/lazy-2.js'));
    assert.ok(size('chunks/lazy-2.js') > 25 * 1024);
  });

  it('counts the service worker apart, and one language catalog of several', () => {
    const dir = fixture({ eager: 5, lazy: 20 });
    const blob = (/** @type {number} */ kb) => `export default "${randomBytes(kb * 1024).toString('base64')}";\n`;
    writeFileSync(join(dir, 'cc-sw.js'), blob(6));
    writeFileSync(join(dir, 'chunks/de-AbCd1234.js'), blob(2));
    writeFileSync(join(dir, 'chunks/fr-EfGh5678.js'), blob(3));
    const m = measure(dir);
    const size = (/** @type {string} */ f) => m.files.find((x) => x.file === f)?.gzip ?? 0;
    assert.equal(m.serviceWorker, size('cc-sw.js'));
    assert.equal(m.total, size('cc.js') + size('chunks/eager-1.js') + size('chunks/lazy-2.js') + size('chunks/fr-EfGh5678.js'));
  });

  it('passes a bundle within both limits', () => {
    const dir = fixture({ eager: 10, lazy: 30 });
    assert.deepEqual(check(measure(dir)), []);
    const r = budget(dir);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /first paint \(cc-chat\): [\d.]+ KB \/ 40\.0 KB/);
  });

  it('fails when first-paint JS is over 40 KB gzip', () => {
    const dir = fixture({ eager: BUDGET.firstPaint / 1024 + 2, lazy: 1 });
    assert.match(check(measure(dir)).join(), /first-paint JS [\d.]+ KB > 40\.0 KB/);
    const r = budget(dir);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /Size budget exceeded: first-paint JS/);
  });

  it('fails when all chunks together are over 150 KB gzip, even with a small first paint', () => {
    const dir = fixture({ eager: 5, lazy: BUDGET.total / 1024 });
    const problems = check(measure(dir));
    assert.equal(problems.length, 1);
    assert.match(problems[0], /all chunks [\d.]+ KB > 150\.0 KB/);
    assert.equal(budget(dir).status, 1);
  });
});

// Build-time size budget (SPEC §9): the JS cc-chat needs at first paint (cc.js and its static imports)
// ≤ 40 KB gzip, and all chunks together ≤ 150 KB gzip. Prints the sizes; exits 1 when over.
// "All chunks" is everything a page can load: the service worker (cc-sw.js) is not page JS and is
// reported on its own, and of the UI-language catalogs (chunks/<lang>-*.js) a page loads at most
// one, so the largest one counts.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';

export const BUDGET = { firstPaint: 40 * 1024, total: 150 * 1024 };
/** Language catalogs (src/locales/), each its own chunk. */
const LOCALE = /^chunks\/[a-z]{2}(?:-[A-Z]{2})?-[\w-]{8}\.js$/;

/** @param {string} dir */
export function measure(dir, entry = 'cc.js') {
  const files = walk(dir).filter((f) => f.endsWith('.js'));
  const gz = new Map(files.map((f) => [f, gzipSync(readFileSync(f), { level: 9 }).length]));
  const firstPaint = new Set();
  const visit = (/** @type {string} */ f) => {
    if (firstPaint.has(f) || !gz.has(f)) return;
    firstPaint.add(f);
    // Static imports only; dynamic import() chunks load on first use and are not first paint.
    const src = readFileSync(f, 'utf8');
    for (const m of src.matchAll(/(?:^|[;\n}])\s*import\s*(?:[\w$*{}\s,]+from\s*)?["']([^"']+)["']/g)) {
      visit(join(f, '..', m[1]));
    }
  };
  visit(join(dir, entry));
  const sum = (/** @type {Iterable<string>} */ fs) => [...fs].reduce((n, f) => n + (gz.get(f) ?? 0), 0);
  const rel = (/** @type {string} */ f) => relative(dir, f);
  const sw = [...gz.keys()].filter((f) => rel(f) === 'cc-sw.js');
  const locales = [...gz.keys()].filter((f) => LOCALE.test(rel(f)));
  const page = [...gz.keys()].filter((f) => !sw.includes(f) && !locales.includes(f));
  const oneLocale = Math.max(0, ...locales.map((f) => gz.get(f) ?? 0));
  return {
    files: [...gz].map(([f, size]) => ({ file: rel(f), gzip: size })),
    firstPaint: sum(firstPaint), total: sum(page) + oneLocale, serviceWorker: sum(sw),
  };
}

/** @param {string} dir @returns {string[]} */
function walk(dir) {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

export function check(/** @type {ReturnType<typeof measure>} */ m, budget = BUDGET) {
  const problems = [];
  if (m.firstPaint > budget.firstPaint) problems.push(`first-paint JS ${kb(m.firstPaint)} > ${kb(budget.firstPaint)}`);
  if (m.total > budget.total) problems.push(`all chunks ${kb(m.total)} > ${kb(budget.total)}`);
  return problems;
}

const kb = (/** @type {number} */ n) => `${(n / 1024).toFixed(1)} KB`;

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const m = measure(process.argv[2] ?? 'dist');
  for (const f of m.files.sort((a, b) => b.gzip - a.gzip)) console.log(`  ${f.file.padEnd(40)} ${kb(f.gzip).padStart(9)} gzip`);
  console.log(`  first paint (cc-chat): ${kb(m.firstPaint)} / ${kb(BUDGET.firstPaint)}   all chunks: ${kb(m.total)} / ${kb(BUDGET.total)}   service worker: ${kb(m.serviceWorker)}`);
  const problems = check(m);
  if (problems.length) {
    console.error(`Size budget exceeded: ${problems.join('; ')}`);
    process.exit(1);
  }
}

// The npm package's own outputs, built after `vite build` by `npm run build`: lib/ (ES modules and
// .d.ts per source file, dependencies left to the user's bundler) and custom-elements.json.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';

/** @param {string} bin @param {string[]} args */
function run(bin, args) {
  const r = spawnSync(process.execPath, [bin, ...args], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

// A stale file from a renamed module must not ship.
rmSync('lib', { recursive: true, force: true });
run('node_modules/typescript/bin/tsc', ['-p', 'tsconfig.lib.json']);
run('node_modules/@custom-elements-manifest/analyzer/cem.js', ['analyze']);
console.log('lib/ and custom-elements.json written');

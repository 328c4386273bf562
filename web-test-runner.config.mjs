// Browser tests: real Chromium (Debian's), real Prosody started by test/run-all.mjs.
import * as esbuild from 'esbuild';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { testStack } from './test/support/stack-env.mjs';

const stack = testStack();

const args = [
  '--no-sandbox', '--headless', '--disable-gpu', '--disable-dev-shm-usage',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--no-first-run', '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream',
  // Test files run in parallel tabs; background tabs must not have their timers throttled.
  '--disable-background-timer-throttling', '--disable-renderer-backgrounding', '--disable-backgrounding-occluded-windows',
];

// CommonJS packages are served as esbuild bundles; the dev server cannot load them per file.
const BUNDLED = ['@xmpp/client'];
const bundles = new Map();
const bundleDeps = {
  name: 'bundle-cjs-deps',
  resolveImport({ source }) {
    if (BUNDLED.includes(source)) return `/__bundled__/${encodeURIComponent(source)}.js`;
  },
  async serve(ctx) {
    const m = ctx.path.match(/^\/__bundled__\/(.+)\.js$/);
    if (!m) return;
    const spec = decodeURIComponent(m[1]);
    if (!bundles.has(spec)) {
      const names = Object.keys(await import(spec)).filter((k) => k !== 'default' && k !== '__esModule');
      const r = await esbuild.build({
        stdin: { contents: `export { ${names.join(', ')} } from '${spec}';`, resolveDir: process.cwd() },
        bundle: true, format: 'esm', platform: 'browser', target: 'es2022', write: false,
        define: { 'process.env.NODE_ENV': '"development"' },
        plugins: [{ name: 'stub-node-builtins', setup(b) {
          b.onResolve({ filter: /^node:/ }, (a) => ({ path: a.path, namespace: 'stub' }));
          b.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({ contents: 'export default {};' }));
        } }],
      });
      bundles.set(spec, r.outputFiles[0].text);
    }
    return { body: bundles.get(spec), type: 'js' };
  },
};

// Server-side helpers a test may call with executeServerCommand (see test/support/server.ts).
const commands = {
  name: 'cc-commands',
  async executeCommand({ command, payload }) {
    if (command === 'cc-sessions') return stack.sessionsOf(payload.jid);
    if (command === 'cc-sm-unacked') return stack.unackedOf(payload.jid);
    if (command === 'cc-restart-prosody') { await stack.restart(); return true; }
    return undefined;
  },
};

export default {
  files: ['test/browser/**/*.test.ts'],
  nodeResolve: true,
  concurrency: 2,
  // run-all.mjs reserves six ports from this base; the fifth is free for the test page server.
  port: Number(process.env.CC_TEST_HTTP_PORT ?? 25280) + 5,
  plugins: [bundleDeps, commands, esbuildPlugin({ ts: true, target: 'es2022', tsconfig: 'tsconfig.json' })],
  testRunnerHtml: (testFramework) => `<!DOCTYPE html><html lang="en"><body>
    <script>
      globalThis.process = { env: { NODE_ENV: 'development' } };
      globalThis.CC_TEST = ${JSON.stringify({ service: stack.service, domain: stack.domain })};
    </script>
    <script type="module" src="${testFramework}"></script></body></html>`,
  browsers: [chromeLauncher({ launchOptions: { executablePath: '/usr/bin/chromium', headless: true, args } })],
  testFramework: { config: { timeout: 20000 } },
};

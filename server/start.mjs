// `npm start`: installs what is missing, starts the local XMPP stack with demo users, and the Vite
// dev server with the demo. Ctrl+C stops everything this started.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { ensurePackages } from './system.mjs';

ensurePackages(['prosody', 'prosody-modules']);
if (!existsSync('node_modules/.package-lock.json')) {
  console.log('Installing npm dependencies …');
  if (spawnSync('npm', ['ci'], { stdio: 'inherit' }).status !== 0) process.exit(1);
}

const { createStack, DEMO_USERS } = await import('./devstack.mjs');
const { seedDemo, DEMO_ROOMS } = await import('./seed.mjs');
const { startPushBridge } = await import('./push-bridge/bridge.mjs');
const { createServer } = await import('vite');
const { tokenEndpoint } = await import('./token-endpoint.mjs');

const stack = createStack({ dir: '.runtime/dev' });
await stack.start();
await seedDemo(stack);
// The XEP-0357 → Web Push bridge, as the component push.localhost; data and VAPID keys in .runtime/.
const pushBridge = await startPushBridge({
  service: `xmpp://127.0.0.1:${stack.ports.component}`, domain: 'push.localhost', secret: stack.secrets.component,
  dataDir: '.runtime/dev/push-bridge', healthPort: 5282,
  log: (e) => { if (e.level !== 'debug') console.log(`[push-bridge] ${JSON.stringify(e)}`); },
});
// The host-site login demo (demo/login.html): /api/chat-login hands out short-lived tokens.
const login = tokenEndpoint({
  secret: stack.secrets.token, domain: 'localhost', isUser: (n) => DEMO_USERS.some((u) => u.user === n),
});
const vite = await createServer({
  configFile: 'vite.config.ts',
  define: { __CC_DEMO_SERVICE__: JSON.stringify(stack.service) },
  plugins: [{ name: 'cc-demo-login', configureServer: (s) => void s.middlewares.use((req, res, next) => login(req, res, next)) }],
});
await vite.listen();
const url = vite.resolvedUrls?.local[0] ?? 'http://localhost:5173/';

console.log(`
  cc demo is running.

  Demo+docs: ${url}demo/   (scenarios, framework demos, documentation)
  Login:     ${url}demo/login.html   (host-site login: credentials-url with short-lived tokens)
  XMPP:      ${stack.service}
  Users:     ${DEMO_USERS.map((u) => `${u.user}@localhost / ${u.password}`).join(', ')}   (dev-only)
  Rooms:     ${DEMO_ROOMS.map((r) => r.jid).join(', ')}
  Push:      bridge push.localhost, VAPID public key ${pushBridge.vapidPublicKey}
             health ${pushBridge.healthUrl}

  Ctrl+C stops Prosody (pid ${stack.pid}) and the dev server.
`);

let stopping = false;
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, async () => {
    if (stopping) return;
    stopping = true;
    await vite.close();
    await pushBridge.stop();
    await stack.stop();
    process.exit(0);
  });
}

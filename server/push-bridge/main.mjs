// Runs the push bridge from environment variables (see README.md in this folder):
//   node server/push-bridge/main.mjs
import { startPushBridge } from './bridge.mjs';

const env = process.env;
const list = (/** @type {string | undefined} */ v) => v?.split(',').map((s) => s.trim()).filter(Boolean);
const num = (/** @type {string | undefined} */ v) => (v === undefined || v === '' ? undefined : Number(v));

/** Options from `CC_PUSH_*` variables. @param {NodeJS.ProcessEnv} e */
export function optionsFromEnv(e = env) {
  const missing = ['CC_PUSH_SECRET'].filter((k) => !e[k]);
  if (missing.length) throw new Error(`missing environment variable(s): ${missing.join(', ')}`);
  const pub = e.CC_PUSH_VAPID_PUBLIC_KEY;
  const priv = e.CC_PUSH_VAPID_PRIVATE_KEY;
  if (!!pub !== !!priv) throw new Error('set both CC_PUSH_VAPID_PUBLIC_KEY and CC_PUSH_VAPID_PRIVATE_KEY, or neither');
  return {
    service: e.CC_PUSH_SERVICE ?? 'xmpp://127.0.0.1:5347',
    domain: e.CC_PUSH_DOMAIN ?? 'push.localhost',
    secret: /** @type {string} */ (e.CC_PUSH_SECRET),
    dataDir: e.CC_PUSH_DATA_DIR ?? '.runtime/push-bridge',
    healthHost: e.CC_PUSH_HEALTH_HOST,
    healthPort: e.CC_PUSH_HEALTH_PORT === 'off' ? null : num(e.CC_PUSH_HEALTH_PORT ?? '5282'),
    allowedDomains: list(e.CC_PUSH_ALLOWED_DOMAINS),
    endpointHosts: list(e.CC_PUSH_ENDPOINT_HOSTS),
    vapidSubject: e.CC_PUSH_VAPID_SUBJECT,
    vapidKeys: pub && priv ? { publicKey: pub, privateKey: priv } : undefined,
    privacy: ['1', 'true', 'yes'].includes((e.CC_PUSH_PRIVACY ?? '').toLowerCase()),
    ttl: num(e.CC_PUSH_TTL),
    callTtl: num(e.CC_PUSH_CALL_TTL),
    maxPerAccount: num(e.CC_PUSH_MAX_PER_ACCOUNT),
    retries: num(e.CC_PUSH_RETRIES),
    retryBaseMs: num(e.CC_PUSH_RETRY_BASE_MS),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  let bridge;
  try {
    bridge = await startPushBridge(optionsFromEnv());
  } catch (e) {
    process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), level: 'error', msg: 'push bridge could not start', error: String(/** @type {Error} */ (e)?.message ?? e) })}\n`);
    process.exit(1);
  }
  for (const sig of ['SIGINT', 'SIGTERM']) {
    process.once(sig, () => void bridge.stop().then(() => process.exit(0)));
  }
}

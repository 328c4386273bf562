// Test side of Web Push: a minimal RFC 8030 push service over HTTPS on loopback (its certificate is
// made at test time, never stored), browser-like subscription keys, and RFC 8291 decryption and
// RFC 8292 VAPID checks of what arrives, with node:crypto only.
import { createECDH, createPublicKey, hkdfSync, createDecipheriv, randomBytes, verify } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:https';
import { Agent } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A throwaway self-signed certificate for 127.0.0.1 (Debian's openssl). */
function makeCert() {
  const dir = mkdtempSync(join(tmpdir(), 'cc-push-cert-'));
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=127.0.0.1',
      '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
    return { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * @typedef {{ path: string, headers: import('node:http').IncomingHttpHeaders, body: Buffer, status: number }} PushRequest
 */

/** Starts the mock push service. `respond(path)` picks the status code (default 201). */
export async function startMockPushService() {
  const { key, cert } = makeCert();
  /** @type {PushRequest[]} */
  const requests = [];
  /** @type {Map<string, number[]>} queued status codes per path */
  const scripted = new Map();
  const server = createServer({ key, cert }, (req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '/';
      const queue = scripted.get(path);
      const status = queue?.length ? /** @type {number} */ (queue.shift()) : 201;
      requests.push({ path, headers: req.headers, body: Buffer.concat(chunks), status });
      res.writeHead(status, status === 429 || status === 503 ? { 'retry-after': '0' } : { location: `${path}/m/${requests.length}` });
      res.end();
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', () => r(undefined)));
  const port = /** @type {import('node:net').AddressInfo} */ (server.address()).port;
  return {
    origin: `https://127.0.0.1:${port}`,
    /** An agent that trusts this service's certificate (and nothing else self-signed). */
    agent: new Agent({ ca: cert }),
    /** The certificate (PEM), e.g. for NODE_EXTRA_CA_CERTS of a bridge run as its own process. */
    cert,
    requests,
    /** The next answers for `path`, in order; afterwards 201 again. @param {string} path @param {...number} codes */
    script(path, ...codes) { scripted.set(path, [...(scripted.get(path) ?? []), ...codes]); },
    /** @param {string} path */
    to(path) { return requests.filter((r) => r.path === path); },
    close: () => new Promise((r) => { server.close(() => r(undefined)); server.closeAllConnections(); }),
  };
}

/** Keys like a browser's PushManager makes: a P-256 key pair and a 16-byte auth secret. */
export function browserKeys() {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  const auth = randomBytes(16);
  return {
    ecdh, auth,
    /** The PushSubscription JSON a browser would hand to the page. @param {string} endpoint */
    subscription(endpoint) {
      return { endpoint, expirationTime: null, keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth: auth.toString('base64url') } };
    },
  };
}

/**
 * Decrypts an aes128gcm Web Push body (RFC 8188 framing, RFC 8291 key derivation).
 * @param {Buffer} body @param {ReturnType<typeof browserKeys>} keys
 */
export function decryptPush(body, keys) {
  const salt = body.subarray(0, 16);
  const rs = body.readUInt32BE(16);
  const idlen = body[20];
  const asPublic = body.subarray(21, 21 + idlen);
  const records = body.subarray(21 + idlen);
  if (records.length > rs) throw new Error('more than one record is not expected for a push message');
  const uaPublic = keys.ecdh.getPublicKey();
  const ecdhSecret = keys.ecdh.computeSecret(asPublic);
  const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0'), uaPublic, asPublic]);
  const ikm = Buffer.from(hkdfSync('sha256', ecdhSecret, keys.auth, keyInfo, 32));
  const cek = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: aes128gcm\0'), 16));
  const nonce = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: nonce\0'), 12));
  const decipher = createDecipheriv('aes-128-gcm', cek, nonce);
  decipher.setAuthTag(records.subarray(records.length - 16));
  const plain = Buffer.concat([decipher.update(records.subarray(0, records.length - 16)), decipher.final()]);
  // Padding: the last record ends with a 0x02 delimiter followed by zeros.
  let end = plain.length - 1;
  while (end >= 0 && plain[end] === 0) end--;
  if (plain[end] !== 2) throw new Error('bad padding delimiter');
  return plain.subarray(0, end).toString('utf8');
}

/**
 * Checks the RFC 8292 `Authorization: vapid t=<jwt>, k=<key>` header: a valid ES256 signature by `k`
 * over claims for this push service's origin. Returns the public key and claims.
 * @param {string | undefined} header @param {string} origin
 */
export function verifyVapid(header, origin) {
  const m = /^vapid t=([^,\s]+),\s*k=([A-Za-z0-9_-]+)$/.exec(header ?? '');
  if (!m) throw new Error(`not a VAPID authorization header: ${header}`);
  const [, jwt, k] = /** @type {[string, string, string]} */ (m);
  const [h, c, s] = jwt.split('.');
  const raw = Buffer.from(k, 'base64url');
  const key = createPublicKey({ format: 'jwk', key: { kty: 'EC', crv: 'P-256', x: raw.subarray(1, 33).toString('base64url'), y: raw.subarray(33).toString('base64url') } });
  const ok = verify('sha256', Buffer.from(`${h}.${c}`), { key, dsaEncoding: 'ieee-p1363' }, Buffer.from(/** @type {string} */ (s), 'base64url'));
  if (!ok) throw new Error('VAPID signature does not verify');
  const claims = JSON.parse(Buffer.from(/** @type {string} */ (c), 'base64url').toString());
  if (claims.aud !== origin) throw new Error(`VAPID audience ${claims.aud} is not ${origin}`);
  return { publicKey: k, claims };
}

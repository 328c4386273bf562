// The local XMPP stack used by `npm start`, the tests and the bench: a Prosody rendered from
// prosody.cfg.lua.tmpl into a runtime folder, run in the foreground and stopped by its PID.
import { spawn, spawnSync } from 'node:child_process';
import { connect } from 'node:net';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

// Dev-only defaults for the loopback stack; never used outside it.
export const DEMO_USERS = [
  { user: 'alice', password: 'alicepw', name: 'Alice' },
  { user: 'bob', password: 'bobpw', name: 'Bob' },
  { user: 'carol', password: 'carolpw', name: 'Carol' },
];
export const DEMO_ROOM = 'lobby@conference.localhost';
/** Signs the demo's login tokens (server/token-endpoint.mjs); dev-only, loopback stack only. */
export const DEV_TOKEN_SECRET = 'dev-only-token-secret-for-the-loopback-demo';

/**
 * @param {{ dir: string, httpPort?: number, c2sPort?: number, componentPort?: number, turnPort?: number,
 *   quiet?: boolean, coturn?: boolean }} opts
 */
export function createStack(opts) {
  const dir = resolve(opts.dir);
  const ports = {
    http: opts.httpPort ?? 5280,
    c2s: opts.c2sPort ?? 5222,
    component: opts.componentPort ?? 5347,
    turn: opts.turnPort ?? 3478,
  };
  const secrets = { turn: 'dev-only-turn-secret', component: 'dev-only-push-secret', token: DEV_TOKEN_SECRET };
  const config = `${dir}/prosody.cfg.lua`;
  /** @type {import('node:child_process').ChildProcess | undefined} */
  let child;

  function render() {
    mkdirSync(`${dir}/data`, { recursive: true });
    mkdirSync(`${dir}/certs`, { recursive: true });
    const vars = {
      dir, httpPort: ports.http, c2sPort: ports.c2s, componentPort: ports.component,
      turnPort: ports.turn, turnSecret: secrets.turn, componentSecret: secrets.component,
      pushModulesDir: resolve(here, 'push-bridge/prosody'), ccModulesDir: resolve(here, 'prosody'),
      tokenSecret: secrets.token,
    };
    const tmpl = readFileSync(`${here}/prosody.cfg.lua.tmpl`, 'utf8');
    writeFileSync(config, tmpl.replace(/\{\{(\w+)\}\}/g, (_, k) => String(vars[k])));
  }

  async function start() {
    render();
    if (await answers(`http://127.0.0.1:${ports.http}/`)) {
      throw new Error(`port ${ports.http} is already in use; stop what runs there or choose other ports`);
    }
    child = spawn('prosody', ['-F', '--config', config], { stdio: ['ignore', 'pipe', 'pipe'] });
    const out = (/** @type {Buffer} */ b) => { if (!opts.quiet) process.stderr.write(`[prosody] ${b}`); };
    child.stdout?.on('data', out);
    child.stderr?.on('data', out);
    const exited = new Promise((_, reject) =>
      child?.once('exit', (code) => reject(new Error(`prosody exited early (code ${code}); see ${dir}/debug.log`))));
    const c = child;
    // If this Node process dies without stop(), the server must not outlive it.
    const killOnExit = () => c.kill('SIGTERM');
    process.once('exit', killOnExit);
    c.once('exit', () => process.off('exit', killOnExit));
    await Promise.race([waitForHttp(`http://127.0.0.1:${ports.http}/xmpp-websocket`, 15000), exited]);
    exited.catch(() => {});
    await startTurn();
  }

  /** @type {import('node:child_process').ChildProcess | undefined} */
  let turn;

  /**
   * coturn (Debian's `coturn`), optional: started when installed unless `coturn: false`. Loopback
   * only, TURN REST credentials with the same secret Prosody hands out through XEP-0215.
   */
  async function startTurn() {
    if (opts.coturn === false || spawnSync('sh', ['-c', 'command -v turnserver'], { stdio: 'ignore' }).status !== 0) return;
    turn = spawn('turnserver', [
      '-n', '--listening-ip=127.0.0.1', '--relay-ip=127.0.0.1', `--listening-port=${ports.turn}`,
      '--use-auth-secret', `--static-auth-secret=${secrets.turn}`, '--realm=localhost', '--fingerprint',
      '--no-cli', '--no-tls', '--no-dtls', '--allow-loopback-peers', '--no-software-attribute',
      `--userdb=${dir}/turndb`, `--pidfile=${dir}/turnserver.pid`, `--log-file=${dir}/turnserver.log`, '--simple-log',
    ], { stdio: ['ignore', 'ignore', 'pipe'] });
    const t = turn;
    t.stderr?.on('data', (/** @type {Buffer} */ b) => { if (!opts.quiet) process.stderr.write(`[coturn] ${b}`); });
    const killOnExit = () => t.kill('SIGTERM');
    process.once('exit', killOnExit);
    t.once('exit', () => process.off('exit', killOnExit));
    await waitForTcp(ports.turn, 10000);
  }

  async function stopTurn() {
    const t = turn;
    turn = undefined;
    if (!t || t.exitCode !== null) return;
    const done = new Promise((r) => t.once('exit', r));
    t.kill('SIGTERM');
    const timer = setTimeout(() => t.kill('SIGKILL'), 5000);
    await done;
    clearTimeout(timer);
  }

  async function stop() {
    await stopTurn();
    const c = child;
    child = undefined;
    if (!c || c.exitCode !== null) return;
    const done = new Promise((r) => c.once('exit', r));
    c.kill('SIGTERM');
    const t = setTimeout(() => c.kill('SIGKILL'), 8000);
    await done;
    clearTimeout(t);
  }

  /** @param {string[]} args */
  function prosodyctl(args) {
    const r = spawnSync('prosodyctl', ['--config', config, ...args], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`prosodyctl ${args.join(' ')} failed: ${r.stderr || r.stdout}`);
    return r.stdout;
  }

  /**
   * What a Lua expression in the admin shell returned. prosodyctl may print warnings first (e.g. a
   * missing lua-unbound), so the value is the text after the last "Result:".
   */
  function shellResult(/** @type {string} */ lua) {
    const out = prosodyctl(['shell', lua]);
    const at = out.lastIndexOf('Result:');
    return at < 0 ? '' : out.slice(at + 'Result:'.length).trim();
  }

  /** Full JIDs of the sessions the server holds for an account (hibernating ones included). */
  function sessionsOf(/** @type {string} */ bare) {
    // The admin shell's tables truncate long JIDs, so ask the server's session table directly.
    const lua = '> local t = {} for j in pairs(prosody.full_sessions) do t[#t+1] = j end return table.concat(t, " ")';
    const outText = shellResult(lua);
    return outText.split(/\s+/).filter((j) => j.startsWith(`${bare}/`));
  }

  /**
   * How many stanzas the server sent to a session (full JID) that the client has not acknowledged
   * (XEP-0198), or null when there is no such session or it has no stream management.
   */
  function unackedOf(/** @type {string} */ full) {
    const lua = `> local s = prosody.full_sessions[${JSON.stringify(full)}] local q = s and s.outgoing_stanza_queue return q and q:count_unacked() or -1`;
    const n = Number(shellResult(lua).trim());
    return Number.isFinite(n) && n >= 0 ? n : null;
  }

  return {
    dir, ports, secrets, config, start, stop, prosodyctl, sessionsOf, unackedOf,
    service: `ws://localhost:${ports.http}/xmpp-websocket`,
    domain: 'localhost',
    async restart() { await stop(); await start(); },
    get pid() { return child?.pid; },
    /** PID of the stack's coturn, when it runs. */
    get turnPid() { return turn?.pid; },
  };
}

/** @param {string} url */
async function answers(url) {
  try {
    const r = await fetch(url, { signal: AbortSignal.timeout(1000) });
    await r.arrayBuffer();
    return true;
  } catch {
    return false;
  }
}

/** @param {number} port @param {number} timeoutMs */
async function waitForTcp(port, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise((r) => {
      const sock = connect(port, '127.0.0.1', () => { sock.destroy(); r(true); }).once('error', () => r(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`coturn did not listen on 127.0.0.1:${port} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** @param {string} url @param {number} timeoutMs */
export async function waitForHttp(url, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const r = await fetch(url);
      await r.arrayBuffer();
      return;
    } catch (e) {
      if (Date.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs} ms: ${e}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

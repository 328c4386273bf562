// The npm package as `npm pack` would publish it (after `npm run build`): what is in it, that a
// TypeScript user's imports type-check against it, and that custom-elements.json is complete.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
/** @type {string[]} */ let files;

before(() => {
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  files = JSON.parse(out)[0].files.map((/** @type {{ path: string }} */ f) => f.path);
});

describe('npm package content', () => {
  it('ships every file its exports, types and manifest point to', () => {
    const targets = Object.values(pkg.exports).flatMap((t) => (typeof t === 'string' ? [t] : Object.values(t)));
    for (const t of [...targets, pkg.module, pkg.types, pkg.customElements]) {
      assert.ok(files.includes(t.replace(/^\.\//, '')), `${t} is not in the package`);
    }
    for (const entry of ['cc', 'chat', 'call', 'whiteboard', 'headless']) {
      assert.ok(files.includes(`lib/${entry}.js`) && files.includes(`lib/${entry}.d.ts`), entry);
    }
    // The CDN bundle's lazy chunks come along.
    assert.ok(files.some((f) => /^dist\/chunks\/call-[\w-]+\.js$/.test(f)));
    assert.ok(files.some((f) => /^dist\/chunks\/whiteboard-[\w-]+\.js$/.test(f)));
  });

  it('holds no tests, servers, demos, runtime state or secrets', () => {
    const bad = files.filter((f) => /^(test|server|demo|bench|\.runtime|\.ci|node_modules)\//.test(f)
      || /(^|\/)\.env|\.pem$|\.key$|secret|vapid|\.test\.|prosody\.cfg/i.test(f));
    assert.deepEqual(bad, []);
    const text = files.filter((f) => /\.(js|json|ts)$/.test(f)).map((f) => readFileSync(f, 'utf8')).join('\n');
    assert.doesNotMatch(text, /dev-only-(turn|push)-secret|alicepw|bobpw|carolpw/);
  });

  it('marks the modules that define elements as side effects, and only those', () => {
    assert.ok(pkg.sideEffects.includes('./lib/chat.js'));
    assert.ok(!pkg.sideEffects.some((/** @type {string} */ p) => p.includes('core') || p.includes('headless')));
  });
});

describe('types of the packed package', () => {
  const dir = resolve(`.runtime/pack-${process.pid}`);
  before(() => {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(join(dir, 'node_modules/cc'), { recursive: true });
    execFileSync('npm', ['pack', '--ignore-scripts', '--pack-destination', dir], { stdio: 'ignore' });
    const tgz = `${dir}/${pkg.name}-${pkg.version}.tgz`;
    execFileSync('tar', ['-xzf', tgz, '-C', join(dir, 'node_modules/cc'), '--strip-components=1']);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const moduleResolution of ['bundler', 'node16']) {
    it(`a user's TypeScript resolves every entry and the typed events (moduleResolution ${moduleResolution})`, () => {
      writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
        compilerOptions: {
          target: 'ES2022', module: moduleResolution === 'bundler' ? 'ESNext' : 'Node16', moduleResolution,
          lib: ['ES2022', 'DOM', 'DOM.Iterable'], strict: true, noEmit: true, types: [],
          // Our own .d.ts are checked in full; @types/xmpp__client itself does not resolve under node16.
          skipLibCheck: moduleResolution === 'node16',
        },
        files: ['use.mts'],
      }));
      // Lines marked @ts-expect-error must fail to type-check: the types are real, not `any`.
      writeFileSync(join(dir, 'use.mts'), `
import 'cc';
import { CcChat } from 'cc/chat';
import type { CcCall } from 'cc/call';
import { BoardModel, type CcWhiteboard } from 'cc/whiteboard';
import { openSession, releaseSession, type Session, type CcMessageDetail } from 'cc/core';

const chat: CcChat = document.createElement('cc-chat');
const call: CcCall = document.createElement('cc-call');
const board: CcWhiteboard | null = document.querySelector('cc-whiteboard');
chat.mode = 'split';
// @ts-expect-error not a mode
chat.mode = 'sideways';
chat.addEventListener('cc-message', (e) => { const d: CcMessageDetail = e.detail; console.log(d.from, d.text.length); });
chat.addEventListener('cc-unread-change', (e) => e.detail.total.toFixed());
// @ts-expect-error the detail has no such field
chat.addEventListener('cc-message', (e) => e.detail.nope);
call.addEventListener('cc-call-ended', (e) => e.detail.duration.toFixed());
document.addEventListener('cc-connection-change', (e) => e.detail.state === 'online');
board?.addEventListener('cc-board-change', (e) => e.detail.origin === 'remote');
void board?.exportPNG();
void call.call('bob@example.com', { video: true });
const s: Session = openSession({ service: 'wss://chat.example.com/xmpp-websocket', jid: 'a@example.com', password: 'x' });
s.$unreadTotal.get().toFixed();
releaseSession(s);
export const model = BoardModel;
`);
      try {
        execFileSync(process.execPath, [resolve('node_modules/typescript/bin/tsc'), '-p', dir], { encoding: 'utf8' });
      } catch (e) {
        assert.fail(`tsc failed:\n${/** @type {{ stdout: string }} */ (e).stdout}`);
      }
    });
  }
});

// SPEC.md's names (§3–§6), copied here: the specification is not part of the repository. The
// manifest is generated from the elements' JSDoc and lit properties.
const SHARED = ['service', 'domain', 'jid', 'password', 'credentials-url', 'anonymous', 'nick', 'lang', 'theme'];
const SPEC = {
  'cc-chat': {
    attributes: [...SHARED, 'mode', 'with', 'room', 'open', 'calls', 'whiteboard', 'attachments', 'no-new-chat',
      'online-users', 'notifications', 'sound', 'muted', 'push', 'push-service', 'service-worker', 'position'],
    events: ['cc-ready', 'cc-connection-change', 'cc-open-change', 'cc-unread-change', 'cc-message', 'cc-error'],
  },
  'cc-call': {
    attributes: [...SHARED, 'with', 'room', 'video', 'ring', 'ice'],
    events: ['cc-call-incoming', 'cc-call-state', 'cc-call-ended', 'cc-error'],
  },
  'cc-whiteboard': { attributes: [...SHARED, 'room', 'readonly', 'grid'], events: ['cc-board-change', 'cc-error'] },
};

describe('custom-elements.json', () => {
  const manifest = JSON.parse(readFileSync('custom-elements.json', 'utf8'));
  const decls = manifest.modules.flatMap((/** @type {any} */ m) => m.declarations ?? []);
  const byTag = new Map(decls.filter((/** @type {any} */ d) => d.tagName).map((/** @type {any} */ d) => [d.tagName, d]));

  it('describes exactly the three public elements, each defined by its entry module', () => {
    assert.deepEqual([...byTag.keys()].sort(), ['cc-call', 'cc-chat', 'cc-whiteboard']);
    const defs = manifest.modules.flatMap((/** @type {any} */ m) => (m.exports ?? [])
      .filter((/** @type {any} */ e) => e.kind === 'custom-element-definition').map((/** @type {any} */ e) => `${e.name} ${m.path}`));
    assert.deepEqual(defs.sort(), ['cc-call lib/call.js', 'cc-chat lib/chat.js', 'cc-whiteboard lib/whiteboard.js']);
  });

  for (const [tag, spec] of Object.entries(SPEC)) {
    it(`${tag}: every attribute and event SPEC.md names, each described`, () => {
      const d = byTag.get(tag);
      const attrs = d.attributes.map((/** @type {any} */ a) => a.name);
      const missing = spec.attributes.filter((a) => !attrs.includes(a));
      assert.deepEqual(missing, [], `attributes missing from the manifest of ${tag}`);
      const events = d.events.map((/** @type {any} */ e) => e.name);
      assert.deepEqual(spec.events.filter((e) => !events.includes(e)), [], `events missing from the manifest of ${tag}`);
      for (const x of [...d.attributes, ...d.events, ...(d.cssParts ?? []), ...(d.cssProperties ?? [])]) {
        assert.ok(x.description?.trim(), `${tag}: ${x.name} has no description`);
      }
      assert.ok(d.events.every((/** @type {any} */ e) => /^CustomEvent<Cc\w+Detail>$/.test(e.type?.text ?? '')), `${tag}: events carry their detail type`);
      assert.ok(d.cssParts?.length && d.cssProperties?.length, `${tag}: parts and CSS properties documented`);
    });
  }
});

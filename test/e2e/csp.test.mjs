// The Content-Security-Policy the security docs (demo/docs/security.html) recommend: with it, and
// nothing looser, the elements load their chunks, log in, chat, and draw with no violation.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { xml } from '@xmpp/client';
import { makeContacts } from '../../server/contacts.mjs';
import { launchBrowser, newAccount, pageUrl, stack, startStaticServer, unique, until } from '../support/e2e.mjs';
import { noisePng } from '../support/png.mjs';

/**
 * The documented policy, for a page whose widget comes from its own origin ('self'): no
 * 'unsafe-inline' anywhere; the upload host (Prosody's file share here) for attachments.
 */
const policy = (/** @type {string} */ service, /** @type {string} */ uploads) => [
  "default-src 'none'", "script-src 'self'", `connect-src 'self' ${service} ${uploads}`,
  `img-src blob: data: ${uploads}`, `media-src blob: ${uploads}`,
].join('; ');
const uploadOrigin = new URL(stack.service.replace(/^ws/, 'http')).origin;

/** @type {import('playwright-core').Browser} */ let browser;
/** @type {Awaited<ReturnType<typeof startStaticServer>>} */ let web;

before(async () => {
  [browser, web] = await Promise.all([launchBrowser(), startStaticServer({
    headers: { 'content-security-policy': policy(stack.service, uploadOrigin) },
    handle: (req, res) => {
      // The harness's page styles its body with an attribute, which this policy refuses: a bare page instead.
      const url = new URL(req.url ?? '/', 'http://x');
      if (url.pathname !== '/page') return false;
      const tag = url.searchParams.get('tag') ?? 'cc-chat';
      const esc = (/** @type {string} */ v) => v.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
      const attrs = [...url.searchParams].filter(([k]) => k !== 'tag').map(([k, v]) => (v === '' ? k : `${k}="${esc(v)}"`)).join(' ');
      res.writeHead(200, { 'content-type': 'text/html' }).end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>CSP</title>
<script type="module" src="/dist/cc.js"></script></head><body><${tag} ${attrs}></${tag}></body></html>`);
      return true;
    },
  })]);
});
after(async () => {
  await browser?.close();
  await web?.close();
});

async function open(attrs, tag) {
  const page = await browser.newPage();
  await page.addInitScript(() => {
    const w = /** @type {any} */ (window);
    w.violations = [];
    document.addEventListener('securitypolicyviolation', (e) => w.violations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}:${e.columnNumber} ${e.sample}`));
  });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e));
  await page.goto(pageUrl(web.origin, { service: stack.service, ...attrs }, tag));
  return { page, errors, violations: () => page.evaluate(() => /** @type {any} */ (window).violations) };
}

describe('under the documented Content-Security-Policy', () => {
  it('cc-chat logs in, sends and receives, picks an emoji and sends a picture; cc-whiteboard joins its room and draws; no violations', async () => {
    const alice = newAccount('alice');
    const bob = newAccount('bob');
    const sessions = await makeContacts(stack.service, stack.domain, [alice, bob], unique('peer'));
    await sessions[0].x.stop();
    const peer = sessions[1].x;
    const inbox = [];
    peer.on('stanza', (s) => { if (s.is('message') && s.getChildText('body')) inbox.push(s.getChildText('body')); });
    await peer.send(xml('presence'));

    const chat = await open({ open: '', jid: alice.jid, password: alice.password, with: bob.jid }, 'cc-chat');
    const text = `under CSP ${unique('m')}`;
    await chat.page.getByRole('textbox', { name: 'Message' }).fill(text);
    await chat.page.getByRole('textbox', { name: 'Message' }).press('Enter');
    await until(() => inbox.includes(text), 'the message at the contact');
    await peer.send(xml('message', { to: alice.jid, type: 'chat', id: unique('r') }, xml('body', {}, 'reply under CSP')));
    await chat.page.locator('cc-chat-view .msg .body').getByText('reply under CSP').waitFor();

    // The emoji picker loads its chunk and fetches its data from the widget's origin.
    await chat.page.getByRole('button', { name: 'Emoji' }).click();
    const picker = chat.page.getByRole('dialog', { name: 'Choose an emoji' });
    await picker.getByRole('option', { name: /^😀, / }).click();
    await chat.page.getByRole('textbox', { name: 'Message' }).press('Enter');
    await until(() => inbox.includes('😀'), 'the emoji at the contact');

    // A picture goes up to the upload host, and shows inline from there.
    const [chooser] = await Promise.all([chat.page.waitForEvent('filechooser'), chat.page.getByRole('button', { name: 'Attach file' }).click()]);
    await chooser.setFiles({ name: 'csp.png', mimeType: 'image/png', buffer: noisePng(64, 48) });
    await until(() => inbox.some((b) => b.startsWith(`${uploadOrigin}/`) && b.endsWith('csp.png')), 'the picture\'s link at the contact');
    const img = chat.page.locator('cc-chat-view .msg img[alt="csp.png"]');
    await until(() => img.evaluate((i) => i.complete && i.naturalWidth === 64), 'the picture to show');

    const board = await open({ jid: alice.jid, password: alice.password, room: `${unique('csp')}@conference.${stack.domain}` }, 'cc-whiteboard');
    await board.page.waitForFunction(() => /** @type {any} */ (document.querySelector('cc-whiteboard'))?._sync?.state === 'ready');
    const box = await board.page.locator('cc-whiteboard canvas.overlay').boundingBox();
    assert.ok(box);
    await board.page.mouse.move(box.x + 200, box.y + 200);
    await board.page.mouse.down();
    for (let k = 1; k <= 8; k++) await board.page.mouse.move(box.x + 200 + k * 12, box.y + 200 + (k % 2) * 8);
    await board.page.mouse.up();
    await board.page.locator('cc-whiteboard canvas.overlay[aria-label="Whiteboard, 1 element"]').waitFor();

    const call = await open({ jid: alice.jid, password: alice.password, with: bob.jid }, 'cc-call');
    await call.page.getByRole('button', { name: 'Audio call' }).and(call.page.locator(':enabled')).waitFor();

    for (const p of [chat, board, call]) {
      assert.deepEqual(await p.violations(), []);
      assert.deepEqual(p.errors, []);
      await p.page.close();
    }
    await peer.stop();
  });
});

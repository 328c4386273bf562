// Attachments in cc-chat against the harness's Prosody (mod_http_file_share, 10 MiB limit): files
// picked, pasted or dropped go up by HTTP File Upload with progress and cancel, and arrive as OOB
// links that peers show inline (images in a box reserved from the sent width/height) or as cards.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { xml } from '@xmpp/client';
import { befriend, launchBrowser, newAccount, openAs, rawClient, stack, startStaticServer, unique, until } from '../support/e2e.mjs';
import { noisePng } from '../support/png.mjs';

/** @type {import('playwright-core').Browser} */ let browser;
/** @type {Awaited<ReturnType<typeof startStaticServer>>} */ let web;
const open = [];

before(async () => {
  [browser, web] = await Promise.all([launchBrowser(), startStaticServer()]);
});
after(async () => {
  await Promise.all(open.map((o) => o.ctx.close().catch(() => {})));
  await browser?.close();
  await web?.close();
});

/** @param {{ user: string, password: string, jid: string }} me @param {Record<string, string>} attrs */
async function as(me, attrs) {
  const o = await openAs(browser, web.origin, me, { mode: 'embedded', ...attrs });
  open.push(o);
  // What the element reports to the page, and every upload the page makes.
  await o.page.evaluate(() => {
    window.ccErrors = [];
    document.querySelector('cc-chat').addEventListener('cc-error', (e) => window.ccErrors.push(e.detail));
  });
  const puts = [];
  const abortedPuts = [];
  o.page.on('request', (r) => { if (r.method() === 'PUT') puts.push(r.url()); });
  o.page.on('requestfailed', (r) => { if (r.method() === 'PUT') abortedPuts.push(r.failure()?.errorText); });
  return { ...o, puts, abortedPuts };
}

/** Two fresh contacts, each with the other's conversation open. */
async function pair(attrs = {}) {
  const alice = newAccount('alice');
  const bob = newAccount('bob');
  await befriend(alice, bob);
  const a = await as(alice, { with: bob.jid, ...attrs });
  const b = await as(bob, { with: alice.jid });
  await Promise.all([online(a.page), online(b.page)]);
  return { alice, bob, a, b };
}

const online = (page) => until(() => page.evaluate(() => document.querySelector('cc-chat')?.shadowRoot?.querySelector('.status') === null), 'online');

/** Limits the page's upload bandwidth (DevTools network throttling); returns the undo. */
async function throttleUploads(page, bytesPerSecond) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  const set = (up) => cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: up });
  await set(bytesPerSecond);
  return () => set(-1);
}

/** Picks `file` through the `Attach file` button's file chooser. */
async function attach(page, file) {
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByRole('button', { name: 'Attach file' }).click()]);
  await chooser.setFiles(file);
}

async function send(page, text) {
  await page.getByRole('textbox', { name: 'Message' }).fill(text);
  await page.getByRole('textbox', { name: 'Message' }).press('Enter');
}

const log = (page) => page.locator('cc-chat-view .log');
const box = async (loc) => {
  const r = await loc.boundingBox();
  return r && [Math.round(r.width), Math.round(r.height)];
};

describe('attachments in cc-chat', () => {
  it('alice attaches an image with progress; bob sees it in a box reserved before it loads; the URL serves the same bytes', async () => {
    const { a, b } = await pair();
    const button = a.page.getByRole('button', { name: 'Attach file' });
    // The server's limit (disco) is on the button before anything is picked.
    await until(async () => (await button.getAttribute('title')) === 'Attach file (up to 10 MB)', 'the upload limit on the button');

    const png = noisePng(1024, 768); // ~2.4 MB: with the throttle, a few seconds of progress
    assert.ok(png.length >= 2 * 1024 * 1024, `a 2 MB image (${png.length} bytes)`);
    const unthrottle = await throttleUploads(a.page, 800 * 1024);
    // Bob's copy of the picture is held back, so his view is measured before it has loaded.
    /** @type {import('playwright-core').Route[]} */ const held = [];
    await b.page.route('**/file_share/**', (route) => { held.push(route); });

    await attach(a.page, { name: 'noise.png', mimeType: 'image/png', buffer: png });
    const bar = a.page.getByRole('progressbar', { name: 'Uploading noise.png' });
    await bar.waitFor();
    const seen = new Set();
    await until(async () => {
      const v = await bar.getAttribute('aria-valuenow', { timeout: 100 }).catch(() => null);
      if (v === null) return true;
      seen.add(Number(v));
      return false;
    }, 'the upload to finish', 30000);
    await unthrottle();
    assert.ok([...seen].some((v) => v > 0 && v < 100), `progress between 0 and 100 was shown: ${[...seen]}`);

    const img = log(b.page).locator('.msg img');
    await img.waitFor();
    await until(() => held.length > 0, 'bob’s browser to ask for the image');
    assert.equal(await img.evaluate((i) => i.naturalWidth), 0, 'not loaded yet');
    assert.deepEqual(await box(img), [280, 210], '1024×768 scaled into 280 px, from the stanza’s width/height');
    assert.equal(await img.getAttribute('alt'), 'noise.png');
    await Promise.all(held.map((r) => r.continue()));
    await until(() => img.evaluate((i) => i.complete && i.naturalWidth === 1024), 'the image to load');
    assert.deepEqual(await box(img), [280, 210], 'no jump when it loaded');
    // The message shows the picture, not its URL as text.
    assert.equal(await log(b.page).locator('.msg .body').count(), 0);

    const url = await img.getAttribute('src');
    assert.match(url, /^http:\/\/localhost:\d+\/file_share\//);
    const res = await fetch(url);
    assert.equal(res.status, 200);
    assert.ok(Buffer.from(await res.arrayBuffer()).equals(png), 'the upload service serves the bytes alice picked');
    // Alice's own message shows it too, and nothing went wrong on either side.
    await log(a.page).locator('.msg img').waitFor();
    assert.deepEqual(await a.page.evaluate(() => window.ccErrors), []);
    assert.deepEqual([...a.errors, ...b.errors], []);
  });

  it('a file that is not media is a card with name, size and download, live, on another device and from the archive', async () => {
    const alice = newAccount('alice');
    const bob = newAccount('bob');
    await befriend(alice, bob);
    const a = await as(alice, { with: bob.jid });
    const a2 = await as(alice, { with: bob.jid }); // another device: gets a carbon
    const b = await as(bob, { with: alice.jid });
    await Promise.all([online(a.page), online(a2.page), online(b.page)]);
    const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(3000)]);
    await attach(a.page, { name: 'notes.pdf', mimeType: 'application/pdf', buffer: pdf });

    const check = async (page) => {
      const card = log(page).locator('.msg .file');
      await card.waitFor();
      assert.equal(await card.locator('.fname').textContent(), 'notes.pdf');
      assert.equal(await card.locator('.fsize').textContent(), '2.9 kB');
      const link = card.getByRole('link', { name: 'Download' });
      assert.equal(await link.getAttribute('rel'), 'noopener noreferrer');
      return link.getAttribute('href');
    };
    const href = await check(b.page);
    assert.equal(await check(a2.page), href);
    await b.page.reload();
    await online(b.page);
    assert.equal(await check(b.page), href, 'from the archive after a reload');
    assert.ok(Buffer.from(await (await fetch(href)).arrayBuffer()).equals(pdf));
  });

  it('Cancel upload stops the PUT and sends nothing', async () => {
    const { a, b } = await pair();
    const unthrottle = await throttleUploads(a.page, 100 * 1024);
    await attach(a.page, { name: 'big.bin', mimeType: 'application/octet-stream', buffer: randomBytes(3 * 1024 * 1024) });
    const bar = a.page.getByRole('progressbar', { name: 'Uploading big.bin' });
    await bar.waitFor();
    // The PUT is under way (bytes are going out) before the click.
    await until(async () => Number(await bar.getAttribute('aria-valuenow')) > 0, 'upload progress');
    await a.page.getByRole('button', { name: 'Cancel upload' }).click();
    await bar.waitFor({ state: 'detached' });
    await until(() => a.abortedPuts.length === 1, 'the PUT to be aborted');
    assert.deepEqual(a.abortedPuts, ['net::ERR_ABORTED']);
    await unthrottle();
    assert.equal(a.puts.length, 1);

    await send(a.page, 'after the cancelled upload');
    await log(b.page).getByText('after the cancelled upload').waitFor();
    assert.equal(await log(b.page).locator('.msg').count(), 1, 'only the text message arrived');
    assert.equal(await log(a.page).locator('.msg').count(), 1);
    // Cancelling is not an error.
    assert.equal(await a.page.getByRole('alert').count(), 0);
    assert.deepEqual(await a.page.evaluate(() => window.ccErrors), []);
  });

  it('a file over the server’s limit gets a message naming the limit and is not uploaded', async () => {
    const { a } = await pair();
    await attach(a.page, { name: 'huge.bin', mimeType: 'application/octet-stream', buffer: Buffer.alloc(10 * 1024 * 1024 + 1) });
    const alert = a.page.getByRole('alert');
    await alert.waitFor();
    assert.match(await alert.textContent(), /huge\.bin is too large: the server accepts files up to 10 MB\./);
    assert.deepEqual(await a.page.evaluate(() => window.ccErrors.map((e) => e.code)), ['upload-too-large']);
    assert.deepEqual(a.puts, []);
    assert.equal(await log(a.page).locator('.msg').count(), 0);
  });

  it('an upload the HTTP server refuses shows the reason in the composer, fires cc-error and sends nothing', async () => {
    const { a, b } = await pair();
    await a.page.route('**/file_share/**', (r) => (r.request().method() === 'PUT'
      ? r.fulfill({ status: 507, headers: { 'access-control-allow-origin': '*' }, body: 'full' }) : r.continue()));
    await attach(a.page, { name: 'doomed.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n') });
    const alert = a.page.getByRole('alert');
    await alert.waitFor();
    assert.match(await alert.textContent(), /doomed\.pdf could not be uploaded: The upload server answered 507\./);
    assert.deepEqual(await a.page.evaluate(() => window.ccErrors.map((e) => e.code)), ['upload-failed']);
    await a.page.getByRole('button', { name: 'Dismiss' }).click();
    await alert.waitFor({ state: 'detached' });
    await send(a.page, 'after the failed upload');
    await log(b.page).getByText('after the failed upload').waitFor();
    assert.equal(await log(b.page).locator('.msg').count(), 1);
  });

  it('attachments="none": no Attach file button, and drops and pastes are left alone', async () => {
    const { a } = await pair({ attachments: 'none' });
    await a.page.getByRole('textbox', { name: 'Message' }).waitFor();
    assert.equal(await a.page.getByRole('button', { name: 'Attach file' }).count(), 0);
    const handled = await a.page.evaluate(async () => {
      const view = document.querySelector('cc-chat').shadowRoot.querySelector('cc-chat-view');
      const box = view.shadowRoot.querySelector('cc-chat-composer').shadowRoot.querySelector('textarea');
      const dt = new DataTransfer();
      dt.items.add(new File(['x'], 'a.png', { type: 'image/png' }));
      const opts = { dataTransfer: dt, bubbles: true, cancelable: true, composed: true };
      return [
        !view.shadowRoot.querySelector('.log').dispatchEvent(new DragEvent('dragover', opts)),
        !view.shadowRoot.querySelector('.log').dispatchEvent(new DragEvent('drop', opts)),
        !box.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true, composed: true })),
      ];
    });
    assert.deepEqual(handled, [false, false, false], 'no default prevented: the element took none of them');
    assert.equal(await a.page.getByRole('progressbar').count(), 0);
    assert.deepEqual(a.puts, []);
  });

  it('an accept list restricts the picker and refuses other files visibly', async () => {
    const { a, b } = await pair({ attachments: 'image/*,.pdf' });
    assert.equal(await a.page.locator('cc-chat-composer input[type=file]').getAttribute('accept'), 'image/*,.pdf');
    await attach(a.page, { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('plain text') });
    const alert = a.page.getByRole('alert');
    await alert.waitFor();
    assert.match(await alert.textContent(), /notes\.txt cannot be sent here\. Allowed: image\/\*,\.pdf/);
    assert.deepEqual(await a.page.evaluate(() => window.ccErrors), [{ code: 'attachment-type', message: 'notes.txt cannot be sent here. Allowed: image/*,.pdf', attribute: 'attachments' }]);
    assert.deepEqual(a.puts, []);
    // A matching one goes.
    await attach(a.page, { name: 'ok.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n') });
    await log(b.page).locator('.msg .file .fname').getByText('ok.pdf').waitFor();
    assert.equal(await a.page.getByRole('alert').count(), 0, 'the message went away with the next attempt');
  });

  it('in a room, an image pasted into the box and one dropped on the conversation are sent', async () => {
    const room = `files-${unique('r')}@conference.${stack.domain}`.toLowerCase();
    const a = await as(newAccount('alice'), { room });
    const b = await as(newAccount('bob'), { room });
    await Promise.all([a.page, b.page].map((p) => p.locator('cc-chat-view header .subject').getByText('2 in the room').waitFor()));
    await a.page.evaluate(async () => {
      const image = async (w, h, name) => {
        const c = new OffscreenCanvas(w, h);
        c.getContext('2d').fillRect(0, 0, w, h);
        return new File([await c.convertToBlob({ type: 'image/png' })], name, { type: 'image/png' });
      };
      const view = document.querySelector('cc-chat').shadowRoot.querySelector('cc-chat-view');
      const box = view.shadowRoot.querySelector('cc-chat-composer').shadowRoot.querySelector('textarea');
      const pasted = new DataTransfer();
      pasted.items.add(await image(120, 90, 'pasted.png'));
      box.dispatchEvent(new ClipboardEvent('paste', { clipboardData: pasted, bubbles: true, cancelable: true, composed: true }));
      const dropped = new DataTransfer();
      dropped.items.add(await image(400, 100, 'dropped.png'));
      const opts = { dataTransfer: dropped, bubbles: true, cancelable: true, composed: true };
      const log = view.shadowRoot.querySelector('.log');
      log.dispatchEvent(new DragEvent('dragover', opts));
      log.dispatchEvent(new DragEvent('drop', opts));
    });
    const pasted = log(b.page).locator('img[alt="pasted.png"]');
    const dropped = log(b.page).locator('img[alt="dropped.png"]');
    await Promise.all([pasted.waitFor(), dropped.waitFor()]);
    assert.deepEqual(await box(pasted), [120, 90]);
    assert.deepEqual(await box(dropped), [280, 70]);
    // The drop highlight went away; alice sees the room's copies of both.
    assert.equal(await a.page.locator('cc-chat-view .drop').count(), 0);
    await until(async () => (await log(a.page).locator('.msg img').count()) === 2, 'both images at alice');
  });

  it('hostile attachments from a peer: only http(s) URLs become media or links; names and other URLs stay text', async (t) => {
    const alice = newAccount('alice');
    const eve = newAccount('eve');
    await befriend(alice, eve);
    const a = await as(alice, { with: eve.jid });
    await online(a.page);
    const { x, stop } = await rawClient(eve, { available: false });
    t.after(stop);
    const send = (body, url, meta = []) => x.send(xml('message', { to: alice.jid, type: 'chat', id: unique('e') },
      xml('body', {}, body), ...(url === undefined ? [] : [xml('x', { xmlns: 'jabber:x:oob' }, xml('url', {}, url))]),
      ...(meta.length ? [xml('file', { xmlns: 'urn:xmpp:file:metadata:0' }, ...meta.map(([k, v]) => xml(k, {}, v)))] : [])));
    const evilName = '<img src=x onerror=window.__pwned=1>.png';
    const evilFile = '<script>window.__pwned=1</script>.exe';
    await send('javascript:window.__pwned=1', 'javascript:window.__pwned=1', [['media-type', 'image/png']]);
    await send('data:image/svg+xml,<svg onload="window.__pwned=1"/>', 'data:image/svg+xml,<svg onload="window.__pwned=1"/>');
    await send('https://files.invalid/p.png', 'https://files.invalid/p.png', [['name', evilName], ['media-type', 'image/png'], ['width', '1e9'], ['height', '-3']]);
    await send('https://files.invalid/a.bin', 'https://files.invalid/a.bin', [['name', `\u202E${evilFile}`], ['size', 'NaN'], ['media-type', '"><script>']]);
    await send('look at this', 'https://files.invalid/c.png', [['media-type', 'image/png']]);
    await send('last from eve');
    await log(a.page).getByText('last from eve').waitFor();

    const bodies = await log(a.page).locator('.msg .body').allTextContents();
    assert.ok(bodies.includes('javascript:window.__pwned=1') && bodies.includes('data:image/svg+xml,<svg onload="window.__pwned=1"/>'), 'unsafe URLs stay text');
    assert.ok(bodies.includes('look at this'), 'a text that is not the URL is shown with the file');
    const srcs = await log(a.page).locator('.msg img').evaluateAll((imgs) => imgs.map((i) => [i.getAttribute('src'), i.alt, i.getBoundingClientRect().width]));
    assert.deepEqual(srcs, [['https://files.invalid/p.png', evilName, 240], ['https://files.invalid/c.png', 'c.png', 240]], 'bad sizes give the fixed box');
    assert.equal(await log(a.page).locator('.msg .file .fname').textContent(), evilFile, 'control characters dropped, the rest is text');
    assert.equal(await log(a.page).locator('.msg .file .fsize').count(), 0, 'no size when it is not a number');
    const hrefs = await log(a.page).locator('.msg a').evaluateAll((as) => as.map((l) => l.getAttribute('href')));
    assert.ok(hrefs.every((h) => /^https:\/\/files\.invalid\//.test(h)), hrefs.join(' '));
    assert.equal(await a.page.evaluate(() => window.__pwned), undefined);
    assert.deepEqual(a.errors, []);
  });
});

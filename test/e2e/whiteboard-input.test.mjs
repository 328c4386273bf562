// cc-whiteboard input in real headless Chromium against real Prosody: panning and zooming by mouse,
// keyboard, wheel, buttons and touch (what the user sees move), the grid, and editing text in place.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { launchBrowser, newAccount, stack, startStaticServer } from '../support/e2e.mjs';
import {
  canonical, count, drag, inkBox, moved, onBoard, openBoard, roomName, scenePixel, until, waitCount, waitInkBox, waitPainted,
} from '../support/whiteboard.mjs';

/** @type {import('playwright-core').Browser} */ let browser;
/** @type {Awaited<ReturnType<typeof startStaticServer>>} */ let web;

before(async () => {
  [browser, web] = await Promise.all([launchBrowser(), startStaticServer()]);
});
after(async () => {
  await browser?.close();
  await web?.close();
});

const open = (me, attrs, contextOptions) => openBoard(browser, web.origin, stack, me, attrs, undefined, undefined, contextOptions);
const tool = (page, name) => page.getByRole('button', { name, exact: true }).click();
const zoomShown = (page, pct) => page.getByRole('button', { name: 'Reset zoom' }).filter({ hasText: `${pct}%` }).waitFor({ timeout: 5000 });

/** Draws a rectangle, then picks the pen: a gesture that drew by mistake would leave a stroke. */
async function boardWithRectangle(page) {
  await tool(page, 'Rectangle');
  await drag(page, [[300, 250], [420, 330]]);
  await waitCount(page, 1);
  await tool(page, 'Pen');
  await waitPainted(page, 300, 290);
  return { box: await inkBox(page), scene: await canonical(page) };
}

/** The board's centre (what the zoom buttons zoom about), board-relative. */
const centre = (page) => page.locator('cc-whiteboard canvas.overlay').evaluate((c) => [c.clientWidth / 2, c.clientHeight / 2]);

describe('cc-whiteboard: pan and zoom', () => {
  it('the middle button and space-drag pan, the wheel and the zoom buttons zoom; none of it draws or moves anything', async () => {
    const a = await open(newAccount('alice'), { room: roomName() });
    const p = a.page;
    const { box: b0, scene } = await boardWithRectangle(p);
    const ov = await p.locator('cc-whiteboard canvas.overlay').boundingBox();

    // Middle button drag (with the pen selected): the drawing follows the pointer.
    await p.mouse.move(ov.x + 600, ov.y + 400);
    await p.mouse.down({ button: 'middle' });
    await p.mouse.move(ov.x + 660, ov.y + 430, { steps: 5 });
    await p.mouse.up({ button: 'middle' });
    const b1 = await waitInkBox(p, moved(b0, 60, 30), 'after a middle-button drag by (60, 30)');

    // Space held: a left drag pans instead of drawing.
    await p.locator('cc-whiteboard canvas.overlay').focus();
    await p.keyboard.down(' ');
    await drag(p, [[600, 400], [550, 380]]);
    await p.keyboard.up(' ');
    const b2 = await waitInkBox(p, moved(b1, -50, -20), 'after space + drag by (-50, -20)');

    // The wheel zooms about the pointer: 200 px of wheel up is ×e^0.3.
    await p.mouse.move(ov.x + 450, ov.y + 300);
    await p.mouse.wheel(0, -200);
    await zoomShown(p, 135);
    const b3 = await waitInkBox(p, moved(b2, 0, 0, Math.exp(0.3), 450, 300), 'after wheel zoom at (450, 300)');

    // The buttons zoom about the board's centre.
    const [cx, cy] = await centre(p);
    await p.getByRole('button', { name: 'Zoom out' }).click();
    await zoomShown(p, 108);
    await waitInkBox(p, moved(b3, 0, 0, 0.8, cx, cy), 'after Zoom out');
    await p.getByRole('button', { name: 'Zoom in' }).click();
    await zoomShown(p, 135);
    await waitInkBox(p, b3, 'after Zoom in', 2.5);
    await p.getByRole('button', { name: 'Reset zoom' }).click();
    await zoomShown(p, 100);
    await waitInkBox(p, moved(b3, 0, 0, Math.exp(-0.3), cx, cy), 'after Reset zoom', 2.5);
    // Back at 100 %, the rectangle is as large as drawn, only shifted by the two pans.
    const end = await inkBox(p);
    assert.ok(Math.abs(end.x1 - end.x0 - (b0.x1 - b0.x0)) <= 1 && Math.abs(end.y1 - end.y0 - (b0.y1 - b0.y0)) <= 1, JSON.stringify({ b0, end }));

    assert.equal(await count(p), 1);
    assert.equal(await canonical(p), scene, 'the rectangle itself did not move');
    assert.deepEqual(a.errors, []);
    await a.ctx.close();
  });

  it('with a touch screen, two fingers pan and pinch-zoom, one finger pans an empty spot with Select; nothing is drawn', async () => {
    const a = await open(newAccount('alice'), { room: roomName() }, { hasTouch: true });
    const p = a.page;
    const { box: b0, scene } = await boardWithRectangle(p);
    const ov = await p.locator('cc-whiteboard canvas.overlay').boundingBox();
    // Real touch input: Chromium turns these into pointer events of type touch.
    const cdp = await a.ctx.newCDPSession(p);
    const touch = (type, pts) => cdp.send('Input.dispatchTouchEvent', { type, touchPoints: pts.map(([x, y], id) => ({ x: ov.x + x, y: ov.y + y, id })) });
    /** Fingers from `from` to `to` in a few moves. */
    const gesture = async (from, to) => {
      await touch('touchStart', from);
      for (let i = 1; i <= 5; i++) await touch('touchMove', from.map(([x, y], k) => [x + ((to[k][0] - x) * i) / 5, y + ((to[k][1] - y) * i) / 5]));
      await touch('touchEnd', []);
    };
    await p.evaluate(() => {
      const seen = new Set();
      document.querySelector('cc-whiteboard').shadowRoot.querySelector('canvas.overlay').addEventListener('pointerdown', (e) => seen.add(e.pointerType));
      window.ccPointerTypes = () => [...seen];
    });

    // Two fingers moving together pan.
    await gesture([[400, 450], [500, 450]], [[440, 475], [540, 475]]);
    const b1 = await waitInkBox(p, moved(b0, 40, 25), 'after a two-finger pan by (40, 25)');
    await zoomShown(p, 100);
    // Two fingers spreading from 100 to 200 px apart about (450, 450) zoom ×2 there.
    await gesture([[400, 450], [500, 450]], [[350, 450], [550, 450]]);
    await zoomShown(p, 200);
    const b2 = await waitInkBox(p, moved(b1, 0, 0, 2, 450, 450), 'after a pinch ×2 at (450, 450)', 3);
    // …and pinching back together zooms out again.
    await gesture([[350, 450], [550, 450]], [[400, 450], [500, 450]]);
    await zoomShown(p, 100);
    const b3 = await waitInkBox(p, moved(b2, 0, 0, 0.5, 450, 450), 'after a pinch ×0.5', 3);
    // One finger on an empty spot with Select pans (with Pen it would draw).
    await tool(p, 'Select');
    await gesture([[700, 550]], [[650, 530]]);
    await waitInkBox(p, moved(b3, -50, -20), 'after a one-finger pan by (-50, -20)', 3);

    assert.deepEqual(await p.evaluate(() => window.ccPointerTypes()), ['touch']);
    assert.equal(await count(p), 1);
    assert.equal(await canonical(p), scene, 'the rectangle itself did not move');
    assert.deepEqual(a.errors, []);
    await a.ctx.close();
  });
});

/** Grey levels of the screen (a real screenshot) along board row `y`, columns `x0` to `x1`. */
async function screenRow(page, y, x0, x1) {
  const ov = await page.locator('cc-whiteboard canvas.overlay').boundingBox();
  const png = await page.screenshot({ clip: { x: ov.x + x0, y: ov.y + y, width: x1 - x0, height: 1 } });
  return page.evaluate(async (b64) => {
    const bmp = await createImageBitmap(new Blob([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], { type: 'image/png' }));
    const ctx = new OffscreenCanvas(bmp.width, bmp.height).getContext('2d');
    ctx.drawImage(bmp, 0, 0);
    const d = ctx.getImageData(0, 0, bmp.width, 1).data;
    return Array.from({ length: bmp.width }, (_, i) => d[i * 4]);
  }, png.toString('base64'));
}

/** Board columns in [x0, x1) where a vertical grid line shows (darker than the white background). */
async function gridColumns(page, x0 = 40, x1 = 860) {
  const row = await screenRow(page, 200, x0, x1);
  return row.flatMap((v, i) => (v < 250 ? [x0 + i] : []));
}

/** Where the lines should be and are not, or are and should not be (±1 px): [] when they match. */
function gridErrors(cols, offset, spacing, x0 = 40, x1 = 860) {
  const off = (x) => {
    const r = (((x - offset) % spacing) + spacing) % spacing;
    return Math.min(r, spacing - r) > 1;
  };
  const errors = cols.filter(off).map((x) => `stray line at ${x}`);
  for (let x = x0 + ((((offset - x0) % spacing) + spacing) % spacing); x < x1 - 2; x += spacing) {
    if (!cols.some((c) => Math.abs(c - x) <= 1)) errors.push(`no line near ${x}`);
  }
  return errors;
}

/** Waits until grid lines show at offset + k·spacing (board px) and nowhere else along a row. */
async function waitGrid(page, offset, spacing, what) {
  let errors = [];
  await until(async () => (errors = gridErrors(await gridColumns(page), offset, spacing)).length === 0, what, 5000)
    .catch(() => assert.fail(`${what}: ${errors.join(', ')}`));
}

describe('cc-whiteboard: grid', () => {
  it('with grid, lines show every 24 px and follow pan and zoom; without it the board is plain', async () => {
    const a = await open(newAccount('alice'), { room: roomName(), grid: '' });
    const p = a.page;
    const ov = await p.locator('cc-whiteboard canvas.overlay').boundingBox();
    await waitGrid(p, 0, 24, 'the grid at first');

    // Pan right by 37 px (middle button): the lines move with the board.
    await p.mouse.move(ov.x + 400, ov.y + 400);
    await p.mouse.down({ button: 'middle' });
    await p.mouse.move(ov.x + 437, ov.y + 400, { steps: 4 });
    await p.mouse.up({ button: 'middle' });
    await waitGrid(p, 37, 24, 'the grid after panning by 37 px');

    // Zoom in (×1.25 about the centre): lines 30 px apart, through where the board's origin went.
    const [cx] = await centre(p);
    await p.getByRole('button', { name: 'Zoom in' }).click();
    await zoomShown(p, 125);
    await waitGrid(p, cx + (37 - cx) * 1.25, 30, 'the grid at 125 %');

    // Without the attribute the same row is plain background.
    await p.evaluate(() => document.querySelector('cc-whiteboard').removeAttribute('grid'));
    await until(async () => (await screenRow(p, 200, 40, 860)).every((v) => v >= 250), 'a plain board without grid');
    assert.deepEqual(a.errors, []);
    await a.ctx.close();
  });
});

describe('cc-whiteboard: text in place', () => {
  const texts = (page) => onBoard(page, (board) => board.ordered().map((e) => e.text));

  it('double-clicking a text opens it in the editor with its text; the edit reaches a peer, who can edit it again', async () => {
    const room = roomName();
    const a = await open(newAccount('alice'), { room });
    const b = await open(newAccount('bob'), { room });
    const ov = await a.page.locator('cc-whiteboard canvas.overlay').boundingBox();
    await tool(a.page, 'Text');
    await a.page.mouse.click(ov.x + 200, ov.y + 300);
    const editorA = a.page.getByRole('textbox', { name: 'Text' });
    await editorA.pressSequentially('Hello');
    await editorA.press('Control+Enter');
    await waitCount(b.page, 1);
    assert.deepEqual(await texts(b.page), ['Hello']);
    const before = await onBoard(b.page, (board) => board.ordered()[0]);
    // Where the longer text will end, bob's board shows nothing yet.
    const far = [200 + before.w + 30, before.y + before.h / 2];
    assert.equal((await scenePixel(b.page, far[0], far[1]))[3], 0);

    // Alice double-clicks her text with the Select tool: the editor opens on it, holding its text.
    await tool(a.page, 'Select');
    await a.page.mouse.dblclick(ov.x + 210, ov.y + before.y + before.h / 2);
    await editorA.waitFor();
    assert.equal(await editorA.inputValue(), 'Hello');
    // While it is edited the text shows in its editor only, not twice (the board leaves it out).
    await until(async () => (await inkBox(a.page)) === null, 'the board to leave the edited text to its editor');
    await editorA.press('End');
    await editorA.pressSequentially(' again, longer');
    await editorA.press('Control+Enter');
    await editorA.waitFor({ state: 'detached' });
    await waitPainted(a.page, far[0], far[1], 6);
    await until(async () => (await texts(b.page))[0] === 'Hello again, longer', 'the edit at bob');
    assert.equal(await count(b.page), 1, 'the same element changed, none was added');
    await waitPainted(b.page, far[0], far[1], 6);

    // Bob double-clicks it too: he gets alice's new text, replaces it, and alice sees his.
    const ovB = await b.page.locator('cc-whiteboard canvas.overlay').boundingBox();
    await tool(b.page, 'Select');
    await b.page.mouse.dblclick(ovB.x + 210, ovB.y + before.y + before.h / 2);
    const editorB = b.page.getByRole('textbox', { name: 'Text' });
    await editorB.waitFor();
    assert.equal(await editorB.inputValue(), 'Hello again, longer');
    await editorB.fill('Bye');
    await editorB.press('Escape');
    await until(async () => (await texts(a.page))[0] === 'Bye', 'bob\'s edit at alice');
    assert.equal(await count(a.page), 1);
    assert.equal(await canonical(a.page), await canonical(b.page));
    assert.deepEqual([...a.errors, ...b.errors], []);
    await Promise.all([a.ctx.close(), b.ctx.close()]);
  });
});

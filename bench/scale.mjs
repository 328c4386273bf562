// The scale figures of SPEC §9, each measured the same way for every client on the page harness of
// figures.mjs: a 10,000-contact roster, and scrolling back through 5,000 archived messages. Returns
// numbers; bench/run.mjs prints them side by side.
import { xml } from '@xmpp/client';
import { newPage } from './figures.mjs';

/** Used JS heap after a full garbage collection, in bytes. @param {import('playwright-core').Page} page */
export async function heap(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  await cdp.detach();
  return usedSize;
}

/** `from` writes n chat messages "history 0" … to `to` (offline: they land in its archive only). */
export async function seedHistory(login, from, to, n) {
  const x = await login(from);
  for (let i = 0; i < n; i++) {
    await x.send(xml('message', { to: to.jid, type: 'chat', id: `h${i}` }, xml('body', {}, `history ${i}`)));
    // A round trip now and then, so the server keeps up rather than buffering thousands of stanzas.
    if (i % 200 === 199) await x.iqCaller.request(xml('iq', { type: 'get', to: 'localhost' }, xml('ping', { xmlns: 'urn:xmpp:ping' })));
  }
  await x.stop();
}

/**
 * Ends the page's renderer after `ms`: a client stuck in one task for minutes blocks every in-page
 * wait (their timeouts run in the page) and even closing the page. Pending waits then reject.
 * @param {import('playwright-core').Page} page
 */
async function deadline(page, ms) {
  const cdp = await page.context().newCDPSession(page);
  const timer = setTimeout(() => { cdp.send('Page.crash').catch(() => {}); }, ms);
  return () => clearTimeout(timer);
}

/**
 * A big roster: online → the list holds all n contacts with its first screenful drawn
 * (client.rosterShown), the longest main-thread task from navigation until 1 s after that, and the
 * heap then; all null when not shown within `timeout` ms of navigation.
 */
export async function roster(browser, origin, client, account, n, timeout) {
  const { ctx, page } = await newPage(browser, client, client.rosterShown, n);
  const clear = await deadline(page, timeout);
  try {
    await page.goto(client.url(origin, account));
    await page.waitForFunction(() => /** @type {any} */ (window).ccList && /** @type {any} */ (window).ccOnline, null, { timeout: 0 });
  } catch {
    await ctx.close();
    return { shown: null, longest: null, heap: null };
  } finally {
    clear();
  }
  try {
    // Work that finishes the frame (and the long-task report of it) belongs to showing the list.
    await page.waitForTimeout(1000);
    const t = await page.evaluate(() => { const w = /** @type {any} */ (window); return { online: w.ccOnline, list: w.ccList, longest: w.ccLong }; });
    return { shown: t.list - t.online, longest: t.longest, heap: await heap(page) };
  } finally {
    await ctx.close();
  }
}

/**
 * n archived messages from `peer`: open the conversation (the newest on screen), then fling to the
 * top of the message list again and again, as a user does, until the first message is on screen.
 * Returns the time that took (null: not within `timeout` ms, or no message came in for `stall` ms —
 * the client pages no further — or the newest never showed: `stopped` says which), how many of the
 * n the client then holds, the longest main-thread task during the scroll, and the heap at the end.
 */
export async function history(browser, origin, client, me, peer, n, timeout, stall = 30000) {
  const { ctx, page } = await newPage(browser, client);
  // Beyond the timeout, a task in progress may still finish; one that never does ends the page.
  const clear = await deadline(page, 30000 + timeout + 60000);
  let count = 0;
  try {
    await page.goto(client.url(origin, { ...me, with: peer.jid }));
    if (!(await client.shown(page, `history ${n - 1}`).waitFor({ timeout: 30000 }).then(() => true, () => false))) {
      return { scrolled: null, stopped: 'open', count: await client.count(page, peer.jid, 'history '), longest: null, heap: null };
    }
    await page.evaluate(() => { /** @type {any} */ (window).ccLong = 0; });
    const log = client.scroller(page);
    const first = client.shown(page, 'history 0');
    const t0 = Date.now();
    count = await client.count(page, peer.jid, 'history ');
    let moved = t0;
    while (!(await first.isVisible()) && Date.now() - t0 < timeout && Date.now() - moved < stall) {
      // Past the top clamps to the top whichever way the list is laid out (down is a larger scrollTop
      // in both). Already there, nothing scrolls and no client hears of it: a screen down, then up
      // again on the next turn, as a user flings again when nothing comes.
      await log.evaluate((el) => {
        const before = el.scrollTop;
        el.scrollTop = -el.scrollHeight;
        if (el.scrollTop === before) el.scrollTop = before + el.clientHeight;
      });
      await page.waitForTimeout(50); // a user flinging upwards, not a condition to wait for
      const now = await client.count(page, peer.jid, 'history ');
      if (now !== count) { count = now; moved = Date.now(); }
    }
    const scrolled = (await first.isVisible()) ? Date.now() - t0 : null;
    const stopped = scrolled != null ? null : Date.now() - t0 >= timeout ? 'time' : 'stall';
    count = await client.count(page, peer.jid, 'history ');
    return { scrolled, stopped, count, longest: await page.evaluate(() => /** @type {any} */ (window).ccLong), heap: await heap(page) };
  } catch {
    return { scrolled: null, stopped: 'time', count, longest: null, heap: null };
  } finally {
    clear();
    await ctx.close();
  }
}

// Call setup with cc-call, reusing the end-to-end call harness: the callee clicks Accept → the first
// remote video frame is on screen there (fake camera, loopback). Converse.js has no calls built in.
import { openCall } from '../test/e2e/call-support.mjs';
import { pageUrl } from '../test/support/e2e.mjs';

/** @returns {Promise<number[]>} milliseconds per run */
export async function callSetup(browser, origin, service, alice, bob, runs) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const open = (me, peer) => openCall(browser, pageUrl(origin, { service, jid: me.jid, password: me.password, with: peer.jid, video: '' }, 'cc-call'));
    const a = await open(alice, bob);
    const b = await open(bob, alice);
    await a.ready();
    await b.ready();
    await a.page.getByRole('button', { name: 'Video call' }).click();
    await b.page.getByRole('button', { name: 'Accept' }).click();
    await b.page.waitForFunction(() => !Number.isNaN(/** @type {any} */ (window).ccFirstFrameAfterClick()), null, { timeout: 30000 });
    times.push(await b.page.evaluate(() => /** @type {any} */ (window).ccFirstFrameAfterClick()));
    await a.page.getByRole('button', { name: 'Hang up' }).click();
    await b.page.getByText(/The other side hung up|Call ended/).waitFor();
    await Promise.all([a.close(), b.close()]);
  }
  return times;
}

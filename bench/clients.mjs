// The two clients on one page harness: cc (dist/cc.js, a page with one <cc-chat>) and Converse.js
// (its npm dist, bench/converse.html). Each says how to open it and how to see, in the page, the
// moments the bench times; everything else (server, accounts, data, timing) is shared.
import { pageUrl } from '../test/support/e2e.mjs';

/**
 * @typedef {{ service: string, jid: string, password: string, with?: string }} Account
 * @typedef {{
 *   name: string,
 *   url: (origin: string, a: Account) => string,
 *   listShown: () => boolean,
 *   rosterShown: (n: number) => boolean,
 *   scroller: (page: import('playwright-core').Page) => import('playwright-core').Locator,
 *   composerReady: (page: import('playwright-core').Page) => Promise<void>,
 *   count: (page: import('playwright-core').Page, peer: string, prefix: string) => Promise<number>,
 *   shown: (page: import('playwright-core').Page, text: string) => import('playwright-core').Locator,
 * }} Client
 */

/** @type {Client} */
export const cc = {
  name: 'cc',
  url: (origin, a) => pageUrl(origin, { mode: 'embedded', ...a }),
  // Runs in the page (serialized): a conversation-list entry is on screen.
  listShown: () => !!document.querySelector('cc-chat')?.shadowRoot?.querySelector('cc-chat-list')?.shadowRoot?.querySelector('li[role=option]'),
  // The whole roster is in the list and its first screenful drawn: the list is virtual, so a drawn
  // row that says it is one of n.
  rosterShown: (n) => !!document.querySelector('cc-chat')?.shadowRoot?.querySelector('cc-chat-list')?.shadowRoot?.querySelector(`li[aria-setsize="${n}"]`),
  scroller: (page) => page.locator('cc-chat-view .log'),
  async composerReady(page) {
    await page.getByRole('textbox', { name: 'Message' }).waitFor();
    await page.waitForFunction(() => !document.querySelector('cc-chat')?.shadowRoot?.querySelector('.status'));
  },
  // Messages of the burst in the conversation's store (received, whether drawn yet or not).
  count: (page, _peer, prefix) => page.evaluate((p) => (/** @type {any} */ (document.querySelector('cc-chat')?.shadowRoot?.querySelector('cc-chat-view'))
    ?.conv.$messages.get() ?? []).filter((/** @type {any} */ m) => m.body.startsWith(p)).length, prefix),
  shown: (page, text) => page.locator('cc-chat-view .msg .body').getByText(text, { exact: true }),
};

/** @type {Client} */
export const converse = {
  name: 'Converse.js',
  url: (origin, a) => `${origin}/bench/converse.html?${new URLSearchParams(/** @type {Record<string, string>} */ (a))}`,
  listShown: () => !!document.querySelector('converse-roster .open-chat'),
  // The same moment for Converse's roster, which draws every contact: n rows in its groups' lists.
  rosterShown: (n) => [...document.querySelectorAll('converse-roster ul.roster-group-contacts')].reduce((k, ul) => k + ul.childElementCount, 0) >= n,
  // Its message list is laid out bottom-up (column-reverse): the top is the most negative scrollTop.
  scroller: (page) => page.locator('converse-chat .chat-content__messages'),
  async composerReady(page) {
    await page.locator('converse-chat textarea.chat-textarea').waitFor();
    await page.waitForFunction(() => /** @type {any} */ (window).ccOnline);
  },
  count: (page, peer, prefix) => page.evaluate(async ([jid, p]) => ((await /** @type {any} */ (window).ccConverse.api.chats.get(jid))?.messages?.models ?? [])
    .filter((/** @type {any} */ m) => m.get('body')?.startsWith(p)).length, [peer, prefix]),
  shown: (page, text) => page.locator('converse-chat .chat-msg__text').getByText(text, { exact: true }),
};

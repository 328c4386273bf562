// Helpers for the cc-call end-to-end tests: a page per user/device with the element's events
// recorded, and the call's WebRTC statistics as the page reads them from the element.
import { until } from '../support/e2e.mjs';

/** Polls `fn` until it returns a truthy value (calls get a longer default timeout). */
export const waitUntil = (fn, what, timeout = 20_000) => until(fn, what, timeout);

/** Runs in every page before its scripts: records cc-call events and exposes media helpers. */
function instrument() {
  const events = [];
  for (const type of ['cc-call-state', 'cc-call-incoming', 'cc-call-ended', 'cc-connection-change']) {
    document.addEventListener(type, (e) => events.push({ type, detail: e.detail }), true);
  }
  const root = () => document.querySelector('cc-call')?.shadowRoot;
  const media = () => [...(root()?.querySelectorAll('video, audio') ?? [])];
  let clickAt, frameAt;
  document.addEventListener('click', () => {
    clickAt = performance.now();
    frameAt = undefined;
    const poll = () => {
      const v = root()?.querySelector('video.remote-video');
      if (v && v.readyState >= 2) frameAt = performance.now();
      else if (performance.now() - clickAt < 30_000) setTimeout(poll, 4);
    };
    poll();
  }, true);
  let collected = [];
  Object.assign(window, {
    ccEvents: (type) => events.filter((e) => e.type === type).map((e) => e.detail),
    ccFirstFrameAfterClick: () => (frameAt === undefined ? NaN : frameAt - clickAt),
    ccLiveTracks: () => media().flatMap((m) => (m.srcObject?.getTracks() ?? []).map((t) => ({ kind: t.kind, readyState: t.readyState, local: m.classList.contains('local') }))).filter((t) => t.readyState === 'live'),
    ccCollectTracks: () => { collected = media().flatMap((m) => m.srcObject?.getTracks() ?? []); return collected.length; },
    ccCollectedTracks: () => collected.map((t) => ({ kind: t.kind, readyState: t.readyState })),
  });
}

/**
 * Opens `url` (a page with one cc-call) in its own browser context: own cookies, own session.
 * `context`: options of the context (permissions, …); `setup(page)` runs before the page loads.
 */
export async function openCall(browser, url, { context = {}, setup = async () => {} } = {}) {
  const ctx = await browser.newContext(context);
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e));
  /** @type {string[]} What the page wrote to its sockets. */
  const sent = [];
  page.on('websocket', (ws) => ws.on('framesent', (f) => { if (typeof f.payload === 'string') sent.push(f.payload); }));
  await page.addInitScript(instrument);
  await setup(page);
  await page.goto(url);
  return {
    ctx, page, errors, sent,
    /** Online: the call buttons are enabled. */
    async ready() {
      const b = page.getByRole('button', { name: /^(Audio call|Join call)$/ });
      await b.waitFor();
      await waitUntil(() => b.isEnabled(), 'the element to be online');
    },
    states: async () => (await page.evaluate(() => window.ccEvents('cc-call-state'))).map((d) => d.state),
    events: (type) => page.evaluate((t) => window.ccEvents(t), type),
    close: () => ctx.close(),
  };
}

/**
 * Totals over the call's peer connections, read through the element's getStats(). `host`: the element
 * whose shadow root holds the cc-call (cc-chat's docked one), else the page's own cc-call.
 */
export function callStats(page, host) {
  return page.evaluate(async (h) => {
    const el = h ? document.querySelector(h).shadowRoot.querySelector('cc-call') : document.querySelector('cc-call');
    const reports = await el.getStats();
    const t = { framesDecoded: 0, audioBytesSent: 0, videoBytesSent: 0, audioBytesReceived: 0, videoBytesReceived: 0, relay: false, frameWidth: 0, frameHeight: 0, ufrag: '' };
    for (const r of reports) {
      const byId = new Map();
      r.forEach((s) => byId.set(s.id, s));
      r.forEach((s) => {
        if (s.type === 'inbound-rtp' && s.kind === 'video') {
          t.framesDecoded += s.framesDecoded ?? 0;
          t.videoBytesReceived += s.bytesReceived ?? 0;
          t.frameWidth = s.frameWidth ?? t.frameWidth;
          t.frameHeight = s.frameHeight ?? t.frameHeight;
        }
        if (s.type === 'transport') t.ufrag = s.iceLocalUsernameFragment ?? '';
        if (s.type === 'inbound-rtp' && s.kind === 'audio') t.audioBytesReceived += s.bytesReceived ?? 0;
        if (s.type === 'outbound-rtp' && s.kind === 'audio') t.audioBytesSent += s.bytesSent ?? 0;
        if (s.type === 'outbound-rtp' && s.kind === 'video') t.videoBytesSent += s.bytesSent ?? 0;
        if (s.type === 'candidate-pair' && s.nominated && s.state === 'succeeded') {
          const local = byId.get(s.localCandidateId);
          if (local?.candidateType === 'relay') t.relay = true;
        }
      });
    }
    return t;
  }, host);
}

/**
 * Waits until `still` stops changing while `moving` keeps growing by at least `growth` — so the
 * check rests on traffic that demonstrably flowed meanwhile, not on a pause. Returns the steady value.
 */
export async function steadyWhileFlowing(page, still, moving, growth) {
  return waitUntil(async () => {
    const s1 = await callStats(page);
    await waitUntil(async () => (await callStats(page))[moving] > s1[moving] + growth, `${moving} to grow`);
    const s2 = await callStats(page);
    return s2[still] === s1[still] && { value: s2[still] };
  }, `${still} to stop growing`).then((r) => r.value);
}

/** Per remote participant: the video frames decoded and audio bytes received from them. */
export function peerStats(page) {
  return page.evaluate(async () => {
    const reports = await document.querySelector('cc-call').getStats();
    return reports.map((r) => {
      const t = { framesDecoded: 0, audioBytesReceived: 0 };
      r.forEach((s) => {
        if (s.type === 'inbound-rtp' && s.kind === 'video') t.framesDecoded += s.framesDecoded ?? 0;
        if (s.type === 'inbound-rtp' && s.kind === 'audio') t.audioBytesReceived += s.bytesReceived ?? 0;
      });
      return t;
    });
  });
}

// Sends one Web Push message (RFC 8030 delivery, RFC 8291 aes128gcm payload, RFC 8292 VAPID) with
// retries: 429 and 5xx (and network failures) are retried with exponential backoff, honouring
// Retry-After; 404 and 410 mean the subscription is gone.
import webpush from 'web-push';

/**
 * @typedef {{ kind: 'sent', status: number } | { kind: 'gone', status: number }
 *   | { kind: 'failed', status?: number, reason: string }} SendResult
 * @typedef {{ vapid: { subject: string, publicKey: string, privateKey: string },
 *   agent?: import('node:https').Agent, retries: number, retryBaseMs: number, retryMaxMs: number,
 *   timeoutMs: number }} SenderConfig
 */

/** Milliseconds to wait from a Retry-After header (seconds or an HTTP date), if any. @param {unknown} v */
export function retryAfterMs(v) {
  if (typeof v !== 'string' || !v.trim()) return undefined;
  if (/^\d+$/.test(v.trim())) return Number(v.trim()) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

export class Sender {
  /** @param {SenderConfig} config */
  constructor(config) {
    this.config = config;
    /** @type {Set<{ timer: ReturnType<typeof setTimeout>, resolve: () => void }>} */
    this.waits = new Set();
    this.stopped = false;
  }

  /**
   * One POST to the push service.
   * @param {import('./store.mjs').PushSubscriptionJSON} subscription
   * @param {string} payload
   * @param {{ ttl: number, urgency: 'very-low' | 'low' | 'normal' | 'high' }} opts
   */
  async attempt(subscription, payload, opts) {
    const c = this.config;
    try {
      const r = await webpush.sendNotification(subscription, payload, {
        vapidDetails: c.vapid, TTL: opts.ttl, urgency: opts.urgency, contentEncoding: 'aes128gcm',
        timeout: c.timeoutMs, ...(c.agent ? { agent: c.agent } : {}),
      });
      return { ok: true, status: r.statusCode };
    } catch (e) {
      const err = /** @type {{ statusCode?: number, headers?: Record<string, string>, message?: string, code?: string }} */ (e);
      return { ok: false, status: err.statusCode, retryAfter: retryAfterMs(err.headers?.['retry-after']), reason: err.code ?? err.message ?? String(e) };
    }
  }

  /**
   * Sends, retrying transient failures. `onAttempt` sees every attempt (for logs).
   * @param {import('./store.mjs').PushSubscriptionJSON} subscription
   * @param {string} payload
   * @param {{ ttl: number, urgency: 'very-low' | 'low' | 'normal' | 'high',
   *   onAttempt?: (a: { attempt: number, status?: number, reason?: string, delayMs?: number }) => void }} opts
   * @returns {Promise<SendResult>}
   */
  async send(subscription, payload, opts) {
    const c = this.config;
    for (let attempt = 1; ; attempt++) {
      const r = await this.attempt(subscription, payload, opts);
      if (r.ok) {
        opts.onAttempt?.({ attempt, status: r.status });
        return { kind: 'sent', status: r.status ?? 201 };
      }
      if (r.status === 404 || r.status === 410) {
        opts.onAttempt?.({ attempt, status: r.status, reason: 'gone' });
        return { kind: 'gone', status: r.status };
      }
      const transient = r.status === undefined || r.status === 429 || r.status >= 500;
      if (!transient || attempt > c.retries || this.stopped) {
        opts.onAttempt?.({ attempt, status: r.status, reason: r.reason });
        return { kind: 'failed', status: r.status, reason: r.reason ?? 'error' };
      }
      const backoff = Math.min(c.retryMaxMs, c.retryBaseMs * 2 ** (attempt - 1));
      const delayMs = Math.min(c.retryMaxMs, Math.max(r.retryAfter ?? 0, backoff * (0.75 + Math.random() * 0.5)));
      opts.onAttempt?.({ attempt, status: r.status, reason: r.reason, delayMs: Math.round(delayMs) });
      await this.wait(delayMs);
      if (this.stopped) return { kind: 'failed', status: r.status, reason: 'bridge stopped' };
    }
  }

  /** @param {number} ms */
  wait(ms) {
    return new Promise((resolve) => {
      const w = { timer: setTimeout(() => { this.waits.delete(w); resolve(); }, ms), resolve: () => resolve() };
      this.waits.add(w);
    });
  }

  /** Cancels pending retries. */
  stop() {
    this.stopped = true;
    for (const w of this.waits) {
      clearTimeout(w.timer);
      w.resolve();
    }
    this.waits.clear();
  }
}

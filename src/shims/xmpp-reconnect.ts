// @xmpp/reconnect in the browser bundle: the connection reconnects itself, with backoff and
// jitter (src/core/connection.ts), and stops the library's fixed 1 s retry at once; this keeps the
// start/stop the client calls and drops the rest.
export default function reconnect() {
  return { start() {}, stop() {} };
}

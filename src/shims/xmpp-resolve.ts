// Stands in for @xmpp/resolve in the browser bundle: it finds a domain's endpoints by SRV and
// host-meta when `connect()` gets a bare domain. We always connect to a WebSocket URL (the
// `service` attribute, or our own XEP-0156 lookup in protocol/discovery.ts), which it passes
// through untouched, so its 2 KB would never run.
export default function resolve(): void {}

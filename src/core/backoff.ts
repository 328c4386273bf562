// Reconnect delays: exponential with full jitter, so a server restart is not met by every client at once.
export function backoffDelay(attempt: number, random = Math.random, base = 500, cap = 30_000): number {
  const ceiling = Math.min(cap, base * 2 ** Math.max(0, attempt));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

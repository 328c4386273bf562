// XEP-0156: find the WebSocket endpoint of a domain from its host-meta, when no `service` is given.
export async function discoverWebSocket(domain: string, timeoutMs = 5000): Promise<string | undefined> {
  try {
    const res = await fetch(`https://${domain}/.well-known/host-meta.json`, { signal: AbortSignal.timeout(timeoutMs) });
    if (!res.ok) return undefined;
    const doc = (await res.json()) as { links?: { rel?: string; href?: string }[] };
    const href = doc.links?.find((l) => l.rel === 'urn:xmpp:alt-connections:websocket')?.href;
    return href && /^wss?:\/\//.test(href) ? href : undefined;
  } catch {
    return undefined;
  }
}

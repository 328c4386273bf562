// What the page knows before the socket does: the network came back or went away, the tab was
// shown or hidden.

export interface PageEvents {
  /** The network or the tab is back: try to connect now rather than at the next backoff step. */
  retryNow(): void;
  /** The browser says the network is gone: the socket is dead, drop it (stream management resumes later). */
  dropLink(): void;
  /** The tab was shown or hidden (client state indication, XEP-0352). */
  visibilityChanged(): void;
}

export function watchPage(on: PageEvents): void {
  if (typeof window === 'undefined') return;
  window.addEventListener('online', () => on.retryNow());
  window.addEventListener('offline', () => on.dropLink());
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') on.retryNow();
    on.visibilityChanged();
  });
}

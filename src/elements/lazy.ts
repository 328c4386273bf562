// Defines a heavy element only when its tag first appears in the document, so pages that never use
// it never download it. Elements already in the DOM upgrade once the chunk has loaded.
export function lazyDefine(tag: string, load: () => Promise<unknown>): void {
  if (customElements.get(tag) || typeof MutationObserver === 'undefined') return;
  let started = false;
  const observer = new MutationObserver(() => check());
  const check = () => {
    if (started || !document.getElementsByTagName(tag).length) return;
    started = true;
    observer.disconnect();
    load().catch((e) => console.error(`cc: could not load <${tag}>`, e));
  };
  observer.observe(document, { childList: true, subtree: true });
  check();
}

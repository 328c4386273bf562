// Finds things the way a user (or a screen reader) does: by accessible name, through shadow roots.

/** querySelectorAll that also looks inside every open shadow root below `host`. */
export function deepAll<T extends Element = HTMLElement>(host: Element | ShadowRoot, selector: string): T[] {
  const out: T[] = [];
  const visit = (root: Element | ShadowRoot | Document) => {
    out.push(...root.querySelectorAll<T>(selector as string) as unknown as T[]);
    for (const el of root.querySelectorAll('*')) if (el.shadowRoot) visit(el.shadowRoot);
  };
  visit(host instanceof Element && host.shadowRoot ? host.shadowRoot : host);
  return out;
}

export function byLabel<T extends HTMLElement = HTMLElement>(host: Element, name: string): T | null {
  for (const el of deepAll<HTMLElement>(host, '[aria-label], button, textarea, input')) {
    const label = el.getAttribute('aria-label') ?? el.textContent?.trim();
    if (label === name) return el as T;
  }
  return null;
}

export function texts(host: Element, selector: string): string[] {
  return deepAll(host, selector).map((e) => e.textContent?.trim() ?? '');
}

export function typeAndSend(host: Element, text: string) {
  const box = byLabel<HTMLTextAreaElement>(host, 'Message');
  if (!box) throw new Error('no Message textbox');
  box.focus();
  box.value = text;
  box.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
  box.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, composed: true, cancelable: true }));
}

/**
 * Mounts markup in the page and waits for its elements' first render. Unlike open-wc's fixture it
 * does not wait for animation frames, which never come in a background tab of a parallel run.
 */
export async function mount<T extends Element = HTMLElement>(markup: string): Promise<T> {
  const holder = document.createElement('div');
  holder.innerHTML = markup;
  document.body.append(holder);
  const els = [...holder.querySelectorAll('*')] as (Element & { updateComplete?: Promise<unknown> })[];
  await Promise.all(els.map((e) => e.updateComplete));
  return (holder.childElementCount === 1 ? holder.firstElementChild : holder) as T;
}

/** Escapes a value for an HTML attribute. */
export const attr = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

// The emoji picker, its own chunk loaded when first opened: search, groups and a grid over the
// maintained Emojibase data set (emoji-picker-element-data), which ships with the widget as a JSON
// file next to the chunks, so nothing is fetched from a third-party CDN. Our own small element
// rather than a full picker library keeps the widget inside its size budget (SPEC §9).
import { LitElement, css, html, nothing } from 'lit';
import { define } from '../define.js';
import { t } from '../i18n.js';

export const emojiData = new URL('../../../node_modules/emoji-picker-element-data/en/emojibase/data.json', import.meta.url).href;

interface Emoji {
  emoji: string;
  annotation: string;
  group?: number;
  shortcodes?: string[];
  tags?: string[];
}

/** Emojibase groups, without 2 (skin-tone components, not emoji to send). */
const groups = (l: string): readonly [number, string, string][] => [
  [0, '😀', t(l, 'Smileys and emotion')], [1, '👋', t(l, 'People and body')], [3, '🐱', t(l, 'Animals and nature')],
  [4, '🍎', t(l, 'Food and drink')], [5, '✈️', t(l, 'Travel and places')], [6, '⚽', t(l, 'Activities')], [7, '💡', t(l, 'Objects')],
  [8, '❤️', t(l, 'Symbols')], [9, '🏁', t(l, 'Flags')],
];
const COLUMNS = 8;
const loaded = new Map<string, Promise<Emoji[]>>();

function load(url: string): Promise<Emoji[]> {
  let p = loaded.get(url);
  if (!p) {
    p = fetch(url).then((r) => {
      if (!r.ok) throw new Error(`emoji data: ${r.status}`);
      return r.json() as Promise<Emoji[]>;
    });
    p.catch(() => loaded.delete(url));
    loaded.set(url, p);
  }
  return p;
}

/**
 * Fires `emoji-click` with `{ unicode }` (the same event shape as emoji-picker-element).
 */
export class CcEmojiPicker extends LitElement {
  static override styles = css`
    :host { display: flex; flex-direction: column; gap: 6px; padding: 8px; box-sizing: border-box; color: var(--cc-fg, #111827); }
    input { font: inherit; padding: 6px 8px; border: 1px solid var(--cc-border, #d1d5db); border-radius: 8px; background: var(--cc-bg, #fff); color: inherit; }
    .tabs { display: flex; gap: 2px; }
    .tabs button { flex: 1; border: 0; border-bottom: 2px solid transparent; background: none; font-size: 18px; padding: 2px 0; cursor: pointer; }
    .tabs button[aria-selected='true'] { border-bottom-color: var(--cc-accent, #2563eb); }
    .grid { display: grid; grid-template-columns: repeat(${COLUMNS}, 1fr); overflow-y: auto; flex: 1; min-height: 0; }
    .grid button { font-size: 22px; line-height: 1.3; border: 0; background: none; border-radius: 6px; cursor: pointer; padding: 2px; }
    .grid button:hover, .grid button:focus-visible { background: var(--cc-bubble-in, #f3f4f6); }
    :focus-visible { outline: 2px solid var(--cc-accent, #2563eb); outline-offset: 1px; }
    .none { grid-column: 1 / -1; color: var(--cc-muted, #4b5563); padding: 8px; }
  `;

  static override properties = {
    dataSource: { attribute: false },
    lang: { attribute: false },
    all: { state: true },
    query: { state: true },
    group: { state: true },
    failed: { state: true },
  };
  /** URL of the Emojibase JSON data. */
  dataSource = emojiData;
  /** UI language (the emoji names stay English: the data set is the English one). */
  override lang = '';
  private all: Emoji[] = [];
  private query = '';
  private group = 0;
  private failed = false;

  override connectedCallback() {
    super.connectedCallback();
    load(this.dataSource).then((list) => { this.all = list; }, () => { this.failed = true; });
  }

  override focus() {
    this.renderRoot.querySelector('input')?.focus();
  }

  private shown(): Emoji[] {
    const q = this.query.trim().toLowerCase();
    if (!q) return this.all.filter((e) => e.group === this.group);
    return this.all.filter((e) => e.group !== 2 && (e.annotation.includes(q)
      || e.shortcodes?.some((s) => s.startsWith(q)) || e.tags?.some((t) => t.startsWith(q)))).slice(0, 200);
  }

  private pick(unicode: string) {
    this.dispatchEvent(new CustomEvent('emoji-click', { detail: { unicode }, bubbles: true, composed: true }));
  }

  /** Arrow keys walk the grid; Enter/Space (native on buttons) picks. */
  private onGridKey = (e: KeyboardEvent) => {
    const step = { ArrowRight: 1, ArrowLeft: -1, ArrowDown: COLUMNS, ArrowUp: -COLUMNS }[e.key];
    if (!step) return;
    const items = [...this.renderRoot.querySelectorAll<HTMLButtonElement>('.grid button')];
    const i = items.indexOf(e.target as HTMLButtonElement);
    const next = items[i + step];
    if (next) {
      e.preventDefault();
      next.focus();
    }
  };

  override render() {
    const l = this.lang;
    if (this.failed) return html`<p role="alert">${t(l, 'The emoji could not be loaded.')}</p>`;
    const list = this.shown();
    return html`
      <input role="combobox" aria-label=${t(l, 'Search emoji')} aria-expanded="true" aria-controls="grid" aria-autocomplete="list"
        placeholder=${t(l, 'Search')} .value=${this.query} @input=${(e: Event) => { this.query = (e.target as HTMLInputElement).value; }}>
      ${this.query ? nothing : html`<div class="tabs" role="tablist" aria-label=${t(l, 'Emoji groups')}>
        ${groups(l).map(([g, icon, name]) => html`<button role="tab" aria-selected=${g === this.group} aria-label=${name} title=${name}
          @click=${() => { this.group = g; }}>${icon}</button>`)}</div>`}
      <div class="grid" id="grid" role="listbox" aria-label=${t(l, 'Emoji')} @keydown=${this.onGridKey}>
        ${this.all.length === 0 ? html`<span class="none" role="status">${t(l, 'Loading…')}</span>`
          : list.length === 0 ? html`<span class="none" role="status">${t(l, 'No emoji found')}</span>`
          : list.map((e) => html`<button role="option" aria-selected="false" aria-label="${e.emoji}, ${e.annotation}" title=${e.annotation}
              @click=${() => this.pick(e.emoji)}>${e.emoji}</button>`)}
      </div>`;
  }
}

define('cc-emoji-picker', CcEmojiPicker);

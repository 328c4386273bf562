// The message composer: a growing multi-line box (Enter sends, Shift+Enter breaks the line), a draft
// per conversation, replying and editing, @mentions of room occupants, the emoji picker, and files
// (picked, pasted, or dropped on the conversation) with upload progress and cancel.
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { acceptsFile, sendFile, uploadsOf, type Upload } from '../../core/attachments.js';
import type { Conversation } from '../../core/conversation.js';
import { canEdit, correct, sendText } from '../../core/message-actions.js';
import { mentionQuery } from '../../core/protocol/mentions.js';
import type { ChatMessage } from '../../core/protocol/message.js';
import type { Session } from '../../core/session.js';
import { uploadService, type UploadError } from '../../core/upload.js';
import { t } from '../i18n.js';
import { cssProps } from '../ui/css-props.js';
import { fileSize } from '../ui/format.js';
import { mediaSize } from './attachment.js';
import { sharedStyles } from './shared-styles.js';

interface Draft {
  text: string;
  mode?: { kind: 'reply' | 'edit'; key: string };
}

/** Drafts live as long as the conversation does (the session), so switching back finds them. */
const drafts = new WeakMap<Conversation, Draft>();
const MAX_HEIGHT = 160;
const growsByItself = typeof CSS !== 'undefined' && CSS.supports('field-sizing', 'content');

let picker: Promise<typeof import('./emoji-picker.js')> | undefined;

/**
 * @fires cc-sent - A message (or correction) went out.
 * @fires cc-error - A file could not be sent. detail: `{ code, message, attribute? }`
 */
export class ChatComposer extends LitElement {
  static override styles = [sharedStyles, css`
    :host { display: block; border-top: 1px solid var(--cc-border); position: relative; }
    form { display: flex; gap: var(--cc-space); padding: var(--cc-space); align-items: flex-end; }
    textarea { flex: 1; resize: none; min-height: 38px; max-height: ${MAX_HEIGHT}px; field-sizing: content; overflow-y: auto; }
    .banner { display: flex; gap: 8px; align-items: center; padding: 6px var(--cc-space) 0; font-size: 12px; }
    .banner .what { flex: 1; min-width: 0; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; border-inline-start: 3px solid var(--cc-accent); padding-inline-start: 6px; }
    .popup { position: absolute; bottom: 100%; inset-inline-start: var(--cc-space); z-index: 3; background: var(--cc-bg); border: 1px solid var(--cc-border);
      border-radius: 8px; box-shadow: 0 4px 16px rgb(0 0 0 / 0.2); }
    ul.popup { list-style: none; margin: 0; padding: 4px 0; min-width: 160px; max-height: 200px; overflow: auto; }
    li[role='option'] { padding: 4px 10px; cursor: pointer; }
    li[aria-selected='true'] { background: var(--cc-accent); color: var(--cc-accent-contrast); }
    .emoji { inset-inline-start: auto; inset-inline-end: var(--cc-space); }
    cc-emoji-picker { height: 320px; width: min(340px, 90vw); }
    .error { color: var(--cc-error); padding: 8px; }
    .problem { display: flex; gap: 8px; align-items: center; margin: 0; padding: 6px var(--cc-space) 0; color: var(--cc-error); font-size: 13px; }
    .problem span { flex: 1; }
    .upload { display: flex; gap: 8px; align-items: center; padding: 6px var(--cc-space) 0; font-size: 12px; }
    .upload .fname { flex: 0 1 40%; min-width: 0; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
    .bar { flex: 1; height: 6px; border-radius: 3px; background: color-mix(in srgb, var(--cc-fg) 15%, transparent); overflow: hidden; }
    .bar span { display: block; height: 100%; background: var(--cc-accent); transition: width 0.2s; }
  `];

  static override properties = {
    session: { attribute: false },
    conv: { attribute: false },
    accept: { attribute: false },
    lang: { attribute: false },
    mode: { state: true },
    suggestions: { state: true },
    active: { state: true },
    emoji: { state: true },
    dataSource: { state: true },
    uploads: { state: true },
    problem: { state: true },
    maxSize: { state: true },
  };
  session?: Session;
  conv?: Conversation;
  /** What files may be sent: an `accept` list like an input's, or `none`. */
  accept = '*/*';
  override lang = '';
  private mode: { kind: 'reply' | 'edit'; m: ChatMessage } | null = null;
  private suggestions: string[] = [];
  private active = 0;
  private emoji: 'closed' | 'loading' | 'open' | 'failed' = 'closed';
  private dataSource = '';
  private uploads: readonly Upload[] = [];
  /** Why the last file could not be sent, shown until the next attempt or conversation. */
  private problem = '';
  private maxSize?: number;
  private get box() { return this.renderRoot?.querySelector<HTMLTextAreaElement>('textarea') ?? undefined; }
  private get picker() { return this.renderRoot?.querySelector<HTMLInputElement>('input[type=file]') ?? undefined; }
  private unbind?: () => void;

  override focus() {
    this.box?.focus();
  }

  startReply(m: ChatMessage) {
    this.setMode({ kind: 'reply', m });
  }

  startEdit(m: ChatMessage) {
    if (!this.conv || !canEdit(this.conv, m)) return;
    this.setMode({ kind: 'edit', m });
    this.value = m.body;
  }

  private setMode(mode: ChatComposer['mode']) {
    this.mode = mode;
    this.saveDraft();
    this.updateComplete.then(() => this.focus());
  }

  private get value() {
    return this.box?.value ?? '';
  }

  private set value(v: string) {
    if (!this.box) return;
    this.box.value = v;
    this.grow();
    this.saveDraft();
  }

  /** Follows the conversation's uploads, and the server's upload limit (shown on the button before anyone picks a file). */
  private bind() {
    this.unbind?.();
    const conn = this.session?.connection;
    const offs = [
      this.conv && uploadsOf(this.conv).subscribe((u) => (this.uploads = u)),
      conn && this.accept !== 'none' ? conn.$state.subscribe((st) => {
        if (st === 'online') uploadService(conn).then((svc) => (this.maxSize = svc?.maxSize), () => {});
      }) : undefined,
    ];
    this.unbind = () => offs.forEach((off) => off?.());
  }

  protected override willUpdate(changed: PropertyValues<this>) {
    if (changed.has('conv') || changed.has('session') || changed.has('accept')) this.bind();
    if (changed.has('conv')) {
      this.problem = '';
      this.suggestions = [];
      this.emoji = this.emoji === 'open' ? 'closed' : this.emoji;
      const d = this.conv ? drafts.get(this.conv) : undefined;
      const m = d?.mode && this.conv?.$messages.get().find((x) => x.key === d.mode!.key);
      this.mode = m ? { kind: d!.mode!.kind, m } : null;
    }
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    this.unbind?.();
    this.unbind = undefined;
  }

  override connectedCallback() {
    super.connectedCallback();
    if (this.hasUpdated && !this.unbind) this.bind();
  }

  protected override updated(changed: PropertyValues<this>) {
    if (changed.has('conv') && this.box) {
      this.box.value = (this.conv && drafts.get(this.conv)?.text) ?? '';
      this.grow();
    }
  }

  private saveDraft() {
    if (!this.conv) return;
    drafts.set(this.conv, { text: this.value, mode: this.mode ? { kind: this.mode.kind, key: this.mode.m.key } : undefined });
  }

  /** Browsers without `field-sizing` grow the box by script. */
  private grow() {
    const ta = this.box;
    if (!ta || growsByItself) return;
    ta.style.height = 'auto';
    ta.style.height = `${Math.min(ta.scrollHeight + 2, MAX_HEIGHT)}px`;
  }

  private onInput = () => {
    this.grow();
    this.saveDraft();
    if (this.conv) this.session?.typing(this.conv.jid, !!this.box?.value.trim());
    this.suggest();
  };

  /** Occupants whose nick starts with the `@word` before the caret. */
  private suggest() {
    const ta = this.box;
    const room = this.conv?.kind === 'room' ? this.session?.rooms.$rooms.get()[this.conv.jid] : undefined;
    const q = ta && room ? mentionQuery(ta.value.slice(0, ta.selectionStart)) : null;
    const prefix = q?.prefix.toLowerCase() ?? '';
    this.suggestions = q && room ? Object.keys(room.occupants).filter((n) => n !== room.nick && n.toLowerCase().startsWith(prefix)).sort().slice(0, 8) : [];
    this.active = 0;
  }

  private pickMention(nick: string) {
    const ta = this.box;
    const q = ta && mentionQuery(ta.value.slice(0, ta.selectionStart));
    if (!ta || !q) return;
    ta.setRangeText(`@${nick} `, q.start, ta.selectionStart, 'end');
    this.suggestions = [];
    this.onInput();
    ta.focus();
  }

  private onKeyDown = (e: KeyboardEvent) => {
    if (e.isComposing) return;
    if (this.suggestions.length) {
      const n = this.suggestions.length;
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        this.active = (this.active + (e.key === 'ArrowDown' ? 1 : n - 1)) % n;
        return;
      }
      if (e.key === 'Enter' || e.key === 'Tab') {
        e.preventDefault();
        this.pickMention(this.suggestions[this.active]!);
        return;
      }
      if (e.key === 'Escape') {
        e.stopPropagation();
        this.suggestions = [];
        return;
      }
    }
    if (e.key === 'Enter' && !e.shiftKey) {
      e.preventDefault();
      this.send();
    } else if (e.key === 'Escape' && this.mode) {
      e.stopPropagation();
      this.cancelMode();
    } else if (e.key === 'ArrowUp' && !this.value && this.conv) {
      // As in most messengers: up in an empty box edits your last message.
      const last = [...this.conv.$messages.get()].reverse().find((m) => m.direction === 'out' && !m.system && !m.retracted);
      if (last && canEdit(this.conv, last)) {
        e.preventDefault();
        this.startEdit(last);
      }
    }
  };

  private cancelMode() {
    const editing = this.mode?.kind === 'edit';
    this.mode = null;
    if (editing) this.value = '';
    this.saveDraft();
    this.focus();
  }

  private send(e?: Event) {
    e?.preventDefault();
    const text = this.value.trim();
    const s = this.session;
    const conv = this.conv;
    if (!text || !s || !conv) return;
    if (this.mode?.kind === 'edit') correct(s, conv, this.mode.m, text);
    else sendText(s, conv, text, this.mode?.kind === 'reply' ? this.mode.m : undefined);
    this.mode = null;
    this.suggestions = [];
    this.value = '';
    this.dispatchEvent(new CustomEvent('cc-sent', { bubbles: true, composed: true }));
  }

  /** Sends files picked, pasted or dropped, each checked against `accept` (and by the upload against the server's limit). */
  addFiles(files: readonly File[]) {
    const s = this.session;
    const conv = this.conv;
    const l = this.lang;
    if (!s || !conv || this.accept === 'none' || !files.length) return;
    this.problem = '';
    for (const f of files) {
      if (!acceptsFile(this.accept, f)) {
        this.fail('attachment-type', t(l, '{name} cannot be sent here. Allowed: {accept}', { name: f.name, accept: this.accept }), 'attachments');
      } else {
        void this.sendOne(s, conv, f);
      }
    }
  }

  private async sendOne(s: Session, conv: Conversation, f: File) {
    try {
      const sent = await sendFile(s, conv, f, await mediaSize(f));
      if (sent && this.conv === conv) this.dispatchEvent(new CustomEvent('cc-sent', { bubbles: true, composed: true }));
    } catch (e) {
      const err = e as UploadError;
      const l = this.lang;
      const name = f.name || t(l, 'file');
      const message = err.code === 'upload-unavailable' ? t(l, 'This server does not accept files.')
        : err.code === 'upload-too-large' ? t(l, '{name} is too large: the server accepts files up to {max}.', { name, max: fileSize(err.maxSize ?? 0, l) })
        : err.code === 'upload-refused' ? t(l, 'The server refused {name}: {reason}', { name, reason: err.message })
        : t(l, '{name} could not be uploaded: {reason}', { name, reason: err.message });
      this.fail(err.code ?? 'upload-failed', message);
    }
  }

  /** Shown here, and reported to the page like the element's other errors. */
  private fail(code: string, message: string, attribute?: string) {
    this.problem = message;
    this.dispatchEvent(new CustomEvent('cc-error', { detail: { code, message, ...(attribute ? { attribute } : {}) }, bubbles: true, composed: true }));
  }

  private onPicked = (e: Event) => {
    const input = e.target as HTMLInputElement;
    this.addFiles([...(input.files ?? [])]);
    input.value = '';
  };

  private onPaste = (e: ClipboardEvent) => {
    const data = e.clipboardData;
    // Copying from office apps puts a picture of the text beside the text: the text is what was meant.
    if (!data?.files.length || this.accept === 'none' || data.types.includes('text/plain')) return;
    e.preventDefault();
    this.addFiles([...data.files]);
  };

  private async toggleEmoji() {
    if (this.emoji === 'open' || this.emoji === 'failed') {
      this.emoji = 'closed';
      return;
    }
    this.emoji = 'loading';
    try {
      this.dataSource = (await (picker ??= import('./emoji-picker.js'))).emojiData;
      this.emoji = 'open';
      await this.updateComplete;
      // The picker focuses its search box when it has rendered; until then keep focus sensible.
      (this.renderRoot.querySelector('cc-emoji-picker') as HTMLElement | null)?.focus();
    } catch (err) {
      picker = undefined;
      console.warn('cc: could not load the emoji picker', err);
      this.emoji = 'failed';
    }
  }

  private onEmoji = (e: Event) => {
    const unicode = (e as CustomEvent<{ unicode?: string }>).detail.unicode;
    const ta = this.box;
    if (!unicode || !ta) return;
    ta.setRangeText(unicode, ta.selectionStart, ta.selectionEnd, 'end');
    this.emoji = 'closed';
    this.onInput();
    ta.focus();
  };

  private onPopupKey = (e: KeyboardEvent) => {
    if (e.key !== 'Escape') return;
    e.stopPropagation();
    this.emoji = 'closed';
    this.renderRoot.querySelector<HTMLElement>('.emoji-btn')?.focus();
  };

  private renderFiles() {
    const l = this.lang;
    return html`${this.problem ? html`<p class="problem" role="alert"><span>${this.problem}</span>
        <button class="icon" aria-label=${t(l, 'Dismiss')} title=${t(l, 'Dismiss')} @click=${() => (this.problem = '')}>✕</button></p>` : nothing}
      ${this.uploads.map((u) => {
        const pct = u.size ? Math.min(100, Math.floor((u.loaded * 100) / u.size)) : 0;
        return html`<div class="upload"><span class="fname">${u.name}</span>
          <div class="bar" role="progressbar" aria-label=${t(l, 'Uploading {name}', { name: u.name })} aria-valuemin="0" aria-valuemax="100"
            aria-valuenow=${pct}><span ${cssProps({ width: `${pct}%` })}></span></div>
          <button class="icon" aria-label=${t(l, 'Cancel upload')} title=${t(l, 'Cancel upload')} @click=${() => u.cancel()}>✕</button></div>`;
      })}`;
  }

  private renderAttach() {
    if (this.accept === 'none') return nothing;
    const l = this.lang;
    const title = this.maxSize ? t(l, 'Attach file (up to {size})', { size: fileSize(this.maxSize, l) }) : t(l, 'Attach file');
    return html`<input type="file" multiple hidden accept=${this.accept === '*/*' ? nothing : this.accept} @change=${this.onPicked}>
      <button class="icon" type="button" aria-label=${t(l, 'Attach file')} title=${title} @click=${() => this.picker?.click()}>📎</button>`;
  }

  override render() {
    const mode = this.mode;
    const open = this.suggestions.length > 0;
    const l = this.lang;
    return html`${this.renderFiles()}
      ${mode ? html`<div class="banner" part="composer-banner">
        <span class="what">${mode.kind === 'edit' ? t(l, 'Editing your message')
          : t(l, 'Replying to {name}: {text}', { name: mode.m.nick ?? this.nameOf(mode.m.from), text: mode.m.body.slice(0, 120) })}</span>
        <button class="icon" aria-label=${t(l, 'Cancel')} title=${t(l, 'Cancel')} @click=${() => this.cancelMode()}>✕</button></div>` : nothing}
      ${open ? html`<ul class="popup" role="listbox" id="mentions" aria-label=${t(l, 'Mention someone')}>
        ${this.suggestions.map((n, i) => html`<li role="option" id=${`mention-${i}`} aria-selected=${i === this.active}
          @mousedown=${(e: Event) => e.preventDefault()} @click=${() => this.pickMention(n)}>${n}</li>`)}</ul>` : nothing}
      ${this.emoji === 'open' || this.emoji === 'failed' ? html`<div class="popup emoji" role="dialog" aria-label=${t(l, 'Choose an emoji')} @keydown=${this.onPopupKey}>
        ${this.emoji === 'failed' ? html`<p class="error" role="alert">${t(l, 'The emoji picker could not be loaded.')}</p>`
          : html`<cc-emoji-picker .dataSource=${this.dataSource} .lang=${l} @emoji-click=${this.onEmoji}></cc-emoji-picker>`}</div>` : nothing}
      <form part="composer" @submit=${this.send}>
        ${this.renderAttach()}
        <textarea aria-label=${t(l, 'Message')} rows="1" placeholder=${t(l, 'Write a message…')} @keydown=${this.onKeyDown} @input=${this.onInput} @paste=${this.onPaste}
          @click=${() => this.suggest()} aria-controls=${open ? 'mentions' : nothing} aria-activedescendant=${open ? `mention-${this.active}` : nothing}></textarea>
        <button class="icon emoji-btn" type="button" aria-label=${t(l, 'Emoji')} title=${t(l, 'Emoji')} aria-expanded=${this.emoji === 'open'}
          ?disabled=${this.emoji === 'loading'} @click=${() => this.toggleEmoji()}>😊</button>
        <button class="btn primary" type="submit">${t(l, 'Send')}</button>
      </form>`;
  }

  private nameOf(jid: string) {
    return this.session?.contacts.name(jid) ?? jid;
  }
}

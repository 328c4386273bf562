// What message actions open: the reaction choices (with the full emoji picker one step away), the
// confirmation before deleting a message for everyone and the report dialog; and the controller
// that runs them.
import { css, html, nothing, type ReactiveController, type ReactiveControllerHost } from 'lit';
import type { Conversation } from '../../core/conversation.js';
import { authorOf, canDelete, canReport, moderate, reportMessage, retract, toggleReaction } from '../../core/message-actions.js';
import type { ReportReason } from '../../core/protocol/blocking.js';
import type { ChatMessage } from '../../core/protocol/message.js';
import type { Session } from '../../core/session.js';
import { t } from '../i18n.js';
import { dialogShell, readReport, reportFields, syncModal } from './dialog.js';
import type { MessageAction } from './message-item.js';

export const QUICK_REACTIONS = ['👍', '❤️', '😂', '😮', '😢', '🙏'];

export interface ReactionPopup {
  lang: string;
  /** The full picker, once its chunk has loaded (its data source), or null for the quick choices. */
  dataSource: string | null;
  pick(emoji: string): void;
  more(): void;
  close(): void;
}

export function renderReactionPopup(p: ReactionPopup) {
  const onKey = (e: KeyboardEvent) => {
    if (e.key !== 'Escape') return;
    e.stopPropagation();
    p.close();
  };
  const l = p.lang;
  return html`<div class="react-popup" role="dialog" aria-label=${t(l, 'Reactions')} @keydown=${onKey}>
    ${p.dataSource
      ? html`<cc-emoji-picker .dataSource=${p.dataSource} .lang=${l} @emoji-click=${(e: CustomEvent<{ unicode?: string }>) => e.detail.unicode && p.pick(e.detail.unicode)}></cc-emoji-picker>`
      : html`${QUICK_REACTIONS.map((e) => html`<button class="icon" aria-label=${e} @click=${() => p.pick(e)}>${e}</button>`)}
        <button class="icon" aria-label=${t(l, 'More emoji')} title=${t(l, 'More emoji')} @click=${p.more}>＋</button>`}
  </div>`;
}

export interface ActionsHost extends ReactiveControllerHost, HTMLElement {
  readonly session?: Session;
  readonly conversation?: Conversation;
  readonly renderRoot: HTMLElement | DocumentFragment;
  readonly lang: string;
  nameOf(who: string): string;
  startReply(m: ChatMessage): void;
  startEdit(m: ChatMessage): void;
  focusMessage(key: string, inner?: string): Promise<void>;
  focusComposer(): void;
  showNotice(text: string): void;
}

/** The state of the reaction popup and the delete confirmation of one conversation view. */
export class MessageActions implements ReactiveController {
  private reacting: { key: string; dataSource: string | null } | null = null;
  private deleting: { m: ChatMessage; error: string } | null = null;
  private reporting: { m: ChatMessage; error: string; busy: boolean } | null = null;

  constructor(private readonly host: ActionsHost) {
    host.addController(this);
  }

  hostUpdated() {
    const root = this.host.renderRoot;
    syncModal(root, 'dialog.delete', !!this.deleting);
    syncModal(root, 'dialog.report', !!this.reporting);
  }

  reset() {
    this.reacting = this.deleting = this.reporting = null;
    this.host.requestUpdate();
  }

  run = (kind: MessageAction, m: ChatMessage) => {
    const { session, conversation } = this.host;
    if (!session || !conversation) return;
    if (kind === 'react') this.reacting = this.reacting?.key === m.key ? null : { key: m.key, dataSource: null };
    else if (kind === 'reply') this.host.startReply(m);
    else if (kind === 'edit') this.host.startEdit(m);
    else if (kind === 'delete' && canDelete(session, conversation, m)) this.deleting = { m, error: '' };
    else if (kind === 'report' && canReport(m)) this.reporting = { m, error: '', busy: false };
    this.host.requestUpdate();
    if (kind === 'react' && this.reacting) this.host.updateComplete.then(() => this.host.renderRoot.querySelector<HTMLElement>('.react-popup button')?.focus());
  };

  /** The reaction popup when it is open on `m`. */
  popupFor(m: ChatMessage) {
    const r = this.reacting;
    const { session, conversation } = this.host;
    if (r?.key !== m.key || !session || !conversation) return null;
    return renderReactionPopup({
      lang: this.host.lang,
      dataSource: r.dataSource,
      pick: (emoji) => {
        toggleReaction(session, conversation, m, emoji);
        this.closeReactions(m);
      },
      more: () => void this.moreReactions(),
      close: () => this.closeReactions(m),
    });
  }

  private closeReactions(m: ChatMessage) {
    this.reacting = null;
    this.host.requestUpdate();
    void this.host.focusMessage(m.key, '[data-act="react"]');
  }

  private async moreReactions() {
    try {
      const { emojiData } = await import('./emoji-picker.js');
      if (this.reacting) this.reacting = { ...this.reacting, dataSource: emojiData };
      this.host.requestUpdate();
    } catch {
      this.host.showNotice(t(this.host.lang, 'The emoji picker could not be loaded.'));
    }
  }

  dialog() {
    const d = this.deleting;
    const l = this.host.lang;
    const moderating = d?.m.direction === 'in';
    return dialogShell({
      lang: l, kind: 'delete', open: !!d, error: d?.error ?? '', action: t(l, 'Confirm'),
      title: moderating ? t(l, 'Delete this message for everyone in the room?') : t(l, 'Delete this message for everyone?'),
      submit: (form) => void this.confirmDelete(form.querySelector('input')?.value.trim() ?? ''),
      cancel: () => {
        this.deleting = null;
        this.host.requestUpdate();
        if (d) void this.host.focusMessage(d.m.key);
      },
    }, html`<p class="muted">${t(l, 'Clients that do not support deleting may keep showing it.')}</p>
${moderating ? html`<label>${t(l, 'Reason (optional)')} <input type="text" maxlength="200"></label>` : nothing}`);
  }

  /** Reporting one message (XEP-0377): a reason, optional details; the author is blocked with it. */
  reportDialog() {
    const r = this.reporting;
    const { session, conversation } = this.host;
    const l = this.host.lang;
    const who = r && session && conversation ? r.m.nick ?? this.host.nameOf(authorOf(session, conversation, r.m)) : null;
    return dialogShell({
      lang: l, kind: 'report', open: who !== null, error: r?.error ?? '', busy: r?.busy, action: t(l, 'Send report and block'),
      title: t(l, 'Report this message'),
      submit: (form) => void this.sendReport(...readReport(form)),
      cancel: () => {
        this.reporting = null;
        this.host.requestUpdate();
        if (r) void this.host.focusMessage(r.m.key);
      },
    }, html`<p class="muted">${t(l, 'The server\'s administrators get the report, and {name} is blocked.', { name: who ?? '' })}</p>
${reportFields(l)}`);
  }

  private async sendReport(reason: ReportReason, text: string) {
    const r = this.reporting;
    const { session, conversation } = this.host;
    if (!r || !session || !conversation || r.busy) return;
    const who = r.m.nick ?? this.host.nameOf(authorOf(session, conversation, r.m));
    this.reporting = { ...r, busy: true, error: '' };
    this.host.requestUpdate();
    try {
      await reportMessage(session, conversation, r.m, reason, text);
    } catch (e) {
      const why = (e as Error & { condition?: string }).condition ?? (e as Error).message;
      this.reporting = { ...r, busy: false, error: t(this.host.lang, 'That did not work: {reason}', { reason: why }) };
      this.host.requestUpdate();
      return;
    }
    this.reporting = null;
    this.host.showNotice(t(this.host.lang, 'Message reported; {name} is blocked.', { name: who }));
    this.host.focusComposer();
  }

  private async confirmDelete(reason: string) {
    const d = this.deleting;
    const { session, conversation } = this.host;
    if (!d || !session || !conversation) return;
    if (d.m.direction === 'out') retract(session, conversation, d.m);
    else {
      try {
        await moderate(session, conversation, d.m, reason);
      } catch (e) {
        this.deleting = { ...d, error: (e as Error).message };
        this.host.requestUpdate();
        return;
      }
    }
    this.deleting = null;
    this.host.requestUpdate();
    this.host.focusComposer();
  }
}

export const popupStyles = css`
  .react-popup { position: absolute; top: 14px; inset-inline-end: 6px; z-index: 3; display: flex; flex-wrap: wrap; gap: 2px; padding: 4px;
    background: var(--cc-bg); color: var(--cc-fg); border: 1px solid var(--cc-border); border-radius: 10px; box-shadow: 0 4px 16px rgb(0 0 0 / 0.2); }
  .react-popup cc-emoji-picker { height: 300px; width: min(300px, 80vw); }
  dialog.confirm { border: 1px solid var(--cc-border); border-radius: var(--cc-radius); background: var(--cc-bg); color: var(--cc-fg); max-width: 340px; }
  dialog.confirm h2 { font-size: 15px; margin: 0 0 6px; }
  dialog.confirm select, dialog.confirm textarea { width: 100%; }
  dialog.confirm label { display: grid; gap: 4px; margin: 8px 0; font-size: 13px; }
  dialog.confirm .buttons { display: flex; justify-content: flex-end; gap: 8px; margin-top: 8px; }
  dialog.confirm .error { color: var(--cc-error); }
`;

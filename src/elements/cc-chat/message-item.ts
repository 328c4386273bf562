// One message in the log: quote of the message it answers, styled text or a shared file, time and
// state, reactions and the actions toolbar. A render function (rows are many and short-lived in the virtual list);
// the chat view owns the state and handles the events.
import { css, html, nothing } from 'lit';
import type { ChatMessage, Status } from '../../core/protocol/message.js';
import type { ReactionCount } from '../../core/stores/apply-action.js';
import { t } from '../i18n.js';
import { sameDay, timeOf } from '../ui/format.js';
import { attachmentStyles, renderAttachment } from './attachment.js';
import { styledText, styledTextStyles } from './styled-text.js';

const statusText = (s: Status, l: string) => s === 'pending' ? t(l, 'Sending…') : s === 'sent' ? t(l, 'Sent')
  : s === 'delivered' ? t(l, 'Delivered') : s === 'read' ? t(l, 'Read') : s === 'failed' ? t(l, 'Not sent') : '';

/** Longer texts show their beginning and a `Show more` button, so one message cannot flood the log. */
export const LONG_TEXT = 3000;

export type MessageAction = 'react' | 'reply' | 'edit' | 'delete' | 'report';

export type Row = { key: string; day: number } | { key: string; m: ChatMessage; showNick: boolean };

/** Adds a date separator before the first message of each day. */
export function toRows(msgs: readonly ChatMessage[]): Row[] {
  const rows: Row[] = [];
  let prev: ChatMessage | undefined;
  for (const m of msgs) {
    if (!prev || !sameDay(prev.timestamp, m.timestamp)) rows.push({ key: `day-${new Date(m.timestamp).toDateString()}`, day: m.timestamp });
    rows.push({ key: m.key, m, showNick: !!m.nick && m.direction === 'in' && (prev?.from !== m.from || !!prev?.system) });
    prev = m;
  }
  return rows;
}


export interface MessageContext {
  lang: string;
  showNick: boolean;
  /** Name to show for a sender (bare JID in 1:1, nick in rooms). */
  nameOf: (who: string) => string;
  /** The message it answers, when that is loaded. */
  replied?: ChatMessage;
  reactions: ReactionCount[];
  mentioned: boolean;
  canRespond: boolean;
  canEdit: boolean;
  canDelete: boolean;
  canReport: boolean;
  expanded: boolean;
  flash: boolean;
  /** The reactions popup opened from this message. */
  picker: unknown;
  on: {
    action(kind: MessageAction, m: ChatMessage, e: Event): void;
    react(m: ChatMessage, emoji: string): void;
    jump(m: ChatMessage): void;
    expand(m: ChatMessage): void;
    key(e: KeyboardEvent, m: ChatMessage): void;
    flashed(): void;
    retry(m: ChatMessage): void;
  };
}

export function renderMessage(m: ChatMessage, c: MessageContext) {
  const l = c.lang;
  const status = m.direction === 'out' ? (m.status === 'failed' && m.error) || statusText(m.status, l) : '';
  const deleted = m.retracted;
  const long = !c.expanded && m.body.length > LONG_TEXT;
  const classes = `msg ${m.direction} ${m.status}${c.mentioned ? ' mention' : ''}${c.flash ? ' flash' : ''}${deleted ? ' deleted' : ''}`;
  return html`<div class="row">
    ${c.showNick ? html`<span class="nick">${m.nick}</span>` : nothing}
    <div class=${classes} part="message" data-status=${m.status} data-key=${m.key} tabindex="-1"
      @keydown=${(e: KeyboardEvent) => c.on.key(e, m)} @animationend=${c.on.flashed}>
      ${m.reply && !deleted ? renderQuote(m, c) : nothing}
      ${m.attachment && !deleted ? renderAttachment(m.attachment, l) : nothing}
      ${deleted ? html`<span class="body deleted">${deletedText(m, c)}</span>`
        : m.attachment?.url === m.body.trim() ? nothing
        : html`<span class="body" dir="auto">${styledText(long ? `${m.body.slice(0, LONG_TEXT)}…` : m.body)}</span>`}
      ${long ? html`<button class="link" @click=${() => c.on.expand(m)}>${t(l, 'Show more')}</button>` : nothing}
      ${c.mentioned ? html`<span class="sr-only">${t(l, 'Mentions you.')}</span>` : nothing}
      <span class="meta"><time datetime=${new Date(m.timestamp).toISOString()}>${timeOf(m.timestamp, l)}</time>${m.edited && !deleted ? html` · <span class="edited" title=${t(l, 'Edited {time}', { time: timeOf(m.edited, l) })}>${t(l, 'edited')}</span>` : nothing}${status ? html` · <span class="state">${m.status === 'pending' ? html`<span aria-hidden="true">🕓 </span>` : nothing}${status}</span>` : nothing}</span>
      ${m.status === 'failed' && m.direction === 'out'
        ? html`<button class="btn retry" @click=${() => c.on.retry(m)}>${t(l, 'Retry')}</button>` : nothing}
      ${c.reactions.length ? renderReactions(m, c) : nothing}
      ${deleted ? nothing : renderActions(m, c)}
      ${c.picker ?? nothing}
    </div>
  </div>`;
}

function deletedText(m: ChatMessage, c: MessageContext): string {
  const r = m.retracted!;
  const l = c.lang;
  if (!r.moderated) return t(l, 'message deleted');
  const by = r.by ? t(l, 'message deleted by {name}', { name: c.nameOf(r.by) }) : t(l, 'message deleted by a moderator');
  return r.reason ? `${by}: ${r.reason}` : by;
}

function renderQuote(m: ChatMessage, c: MessageContext) {
  const target = c.replied;
  const who = target ? (target.nick ?? c.nameOf(target.from)) : m.reply!.to ? c.nameOf(m.reply!.to) : '';
  const text = target ? (target.retracted ? t(c.lang, 'message deleted') : target.body) : (m.reply!.quote ?? t(c.lang, 'an earlier message'));
  return html`<button class="quote" title=${t(c.lang, 'Show the quoted message')} @click=${() => c.on.jump(m)}>
    <span class="qwho">${who}</span><span class="qtext" dir="auto">${text.length > 140 ? `${text.slice(0, 140)}…` : text}</span></button>`;
}

function renderReactions(m: ChatMessage, c: MessageContext) {
  return html`<div class="reactions">${c.reactions.map((r) => {
    const who = r.by.map(c.nameOf).join(', ');
    return html`<button class="chip" aria-pressed=${r.mine} ?disabled=${!c.canRespond} aria-label=${`${r.emoji} ${r.count}: ${who}`}
      @click=${() => c.on.react(m, r.emoji)}><span aria-hidden="true">${r.emoji} ${r.count}</span><span class="who" aria-hidden="true">${who}</span></button>`;
  })}</div>`;
}

function renderActions(m: ChatMessage, c: MessageContext) {
  const l = c.lang;
  const b = (kind: MessageAction, label: string, icon: string) => html`<button class="icon" data-act=${kind} aria-label=${label} title=${label}
    @click=${(e: Event) => c.on.action(kind, m, e)}>${icon}</button>`;
  return html`<div class="actions" role="toolbar" aria-label=${t(l, 'Message actions')}>
    ${c.canRespond ? b('react', t(l, 'React'), '☺') : nothing}
    ${c.canRespond ? b('reply', t(l, 'Reply'), '↩') : nothing}
    ${c.canEdit ? b('edit', t(l, 'Edit'), '✎') : nothing}
    ${c.canDelete ? b('delete', t(l, 'Delete'), '🗑') : nothing}
    ${c.canReport ? b('report', t(l, 'Report'), '⚑') : nothing}
  </div>`;
}

export const messageStyles = [styledTextStyles, attachmentStyles, css`
  .row { display: flex; flex-direction: column; padding: 2px calc(var(--cc-space) * 1.5); width: 100%; }
  .nick { font-size: 12px; font-weight: 600; color: var(--cc-muted); margin: 4px 0 2px 4px; }
  .msg { position: relative; max-width: 80%; min-width: 0; padding: 6px 10px; border-radius: var(--cc-radius); background: var(--cc-bubble-in); align-self: flex-start; overflow-wrap: anywhere; }
  .msg.out { align-self: flex-end; background: var(--cc-bubble-out); color: var(--cc-bubble-out-fg); }
  .msg.failed { outline: 2px solid var(--cc-error); }
  .msg .retry { margin-top: 4px; padding: 2px 10px; font-size: 12px; }
  .msg.mention { box-shadow: inset 3px 0 0 var(--cc-accent); }
  .msg:focus-visible { outline: 2px solid var(--cc-accent); outline-offset: 2px; }
  .msg.flash { animation: cc-flash 1.6s ease-out; }
  @keyframes cc-flash { from { outline: 3px solid var(--cc-accent); outline-offset: 2px; } to { outline: 3px solid transparent; outline-offset: 2px; } }
  .body { display: block; white-space: pre-wrap; unicode-bidi: isolate; overflow: hidden; }
  .body.deleted { font-style: italic; }
  .meta { display: block; font-size: 11px; text-align: end; }
  .quote { display: flex; flex-direction: column; align-items: flex-start; width: 100%; text-align: start; margin-bottom: 4px; padding: 2px 8px;
    border: 0; border-inline-start: 3px solid currentColor; border-radius: 4px; background: color-mix(in srgb, currentColor 10%, transparent); font-size: 12px; }
  .quote .qwho { font-weight: 600; }
  .quote .qtext { white-space: pre-wrap; overflow: hidden; max-height: 3.2em; unicode-bidi: isolate; }
  button.link { border: 0; background: none; padding: 0; text-decoration: underline; font-size: 12px; }
  .reactions { display: flex; flex-wrap: wrap; gap: 4px; margin-top: 4px; }
  .chip { position: relative; border: 1px solid var(--cc-border); border-radius: 999px; padding: 0 6px; background: var(--cc-bg); color: var(--cc-fg); font-size: 12px; line-height: 20px; }
  .chip[aria-pressed='true'] { border-color: var(--cc-accent); background: color-mix(in srgb, var(--cc-accent) 15%, var(--cc-bg)); }
  .chip .who { display: none; position: absolute; bottom: calc(100% + 4px); inset-inline-start: 0; z-index: 2; width: max-content; max-width: 220px;
    padding: 4px 8px; border-radius: 6px; background: var(--cc-fg); color: var(--cc-bg); white-space: normal; text-align: start; }
  .chip:hover .who, .chip:focus .who { display: block; }
  .actions { position: absolute; top: -16px; inset-inline-end: 6px; z-index: 1; display: flex; gap: 2px; visibility: hidden;
    background: var(--cc-bg); color: var(--cc-fg); border: 1px solid var(--cc-border); border-radius: 8px; padding: 1px; }
  .actions .icon { min-width: 28px; min-height: 28px; padding: 2px; }
  .row:hover .actions, .msg:focus-within .actions { visibility: visible; }
`];

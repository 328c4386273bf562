// The top of an open conversation: who it is with (presence, last seen) or the room (subject, size),
// and the room's tools (with their dialog) and occupants list.
import { css, html, nothing } from 'lit';
import { isBareJid } from '../../core/config.js';
import type { RoomState } from '../../core/rooms.js';
import type { Session } from '../../core/session.js';
import { t } from '../i18n.js';
import { avatar } from '../ui/avatar.js';
import { ago } from '../ui/format.js';
import { dialogShell } from './dialog.js';

/** How a presence reads ("online", "away", …). */
export const showText = (show: string, l: string) => show === 'away' || show === 'xa' ? t(l, 'away') : show === 'dnd' ? t(l, 'busy')
  : show === 'offline' ? t(l, 'offline') : t(l, 'online');

export interface HeaderContext {
  session: Session;
  jid: string;
  room?: RoomState;
  lang: string;
  showBack: boolean;
  occupantsOpen: boolean;
  back(): void;
  toggleOccupants(): void;
  roomAction(kind: 'subject' | 'invite' | 'leave'): void;
  /** Opens an occupant's card. */
  openOccupant(nick: string): void;
}

export function renderHeader(c: HeaderContext) {
  const name = c.room?.name ?? c.session.contacts.name(c.jid);
  const l = c.lang;
  return html`
    <header part="header">
      ${c.showBack ? html`<button class="icon" aria-label=${t(l, 'Back')} @click=${c.back}>←</button>` : nothing}
      ${avatar(name, c.jid, 36, c.room ? undefined : c.session.avatars.$urls.get()[c.jid])}
      <div class="who">
        <span class="name">${name}</span>
        <span class="sub muted">${c.room ? roomLine(c.room, l) : presence(c)}</span>
      </div>
      <slot name="actions"></slot>
      ${c.room ? html`<button class="icon" aria-label=${t(l, 'Occupants')} aria-expanded=${c.occupantsOpen} @click=${c.toggleOccupants}>👥</button>` : nothing}
    </header>
    ${c.room && c.occupantsOpen ? roomPanel(c, c.room) : nothing}`;
}

function presence(c: HeaderContext) {
  const p = c.session.$presence.get()[c.jid];
  const show = p?.show ?? 'offline';
  const text = show === 'offline' && p?.lastSeen ? t(c.lang, 'last seen {when}', { when: ago(p.lastSeen, c.lang) }) : showText(show, c.lang);
  return html`<span class="dot" data-show=${show} aria-hidden="true"></span><span class="presence">${text}${p?.status ? ` — ${p.status}` : ''}</span>`;
}

function roomLine(room: RoomState, l: string) {
  const n = Object.keys(room.occupants).length;
  return html`<span class="subject">${room.subject || (room.joined ? t(l, '{n} in the room', { n }) : t(l, 'Joining…'))}</span>`;
}

function roomPanel(c: HeaderContext, room: RoomState) {
  const list = Object.values(room.occupants).sort((a, b) => a.nick.localeCompare(b.nick));
  const l = c.lang;
  return html`<div class="roomtools">
      <button class="btn" @click=${() => c.roomAction('subject')}>${t(l, 'Change subject')}</button>
      <button class="btn" @click=${() => c.roomAction('invite')}>${t(l, 'Invite')}</button>
      <button class="btn" @click=${() => c.roomAction('leave')}>${t(l, 'Leave room')}</button>
    </div>
    <section class="occupants" part="occupants" aria-label=${t(l, 'Occupants list')}>
      <ul>${list.map((o) => html`<li><button class="occupant" data-nick=${o.nick} @click=${() => c.openOccupant(o.nick)}>${avatar(o.nick, `${room.jid}/${o.nick}`, 24)}<span>${o.nick}</span></button>
        <span class="muted">${roleText(o.role, l)}${o.affiliation !== 'none' ? ` · ${affiliationText(o.affiliation, l)}` : ''}</span></li>`)}</ul>
    </section>`;
}

export type RoomQuestion = 'subject' | 'invite';

export interface RoomDialog {
  ask: RoomQuestion | null;
  lang: string;
  error: string;
  subject: string;
  submit(value: string): void;
  cancel(): void;
}

/** What Change subject and Invite ask, in a modal dialog (Escape or Cancel closes it). */
export function renderRoomDialog(d: RoomDialog) {
  const l = d.lang;
  const subject = d.ask === 'subject';
  return dialogShell({
    lang: l, kind: 'ask', open: !!d.ask, error: d.error, cancel: d.cancel,
    title: subject ? t(l, 'Change subject') : t(l, 'Invite someone'),
    action: subject ? t(l, 'Save') : t(l, 'Send invitation'),
    submit: (form) => d.submit(form.querySelector('input')!.value.trim()),
  }, html`<label>${subject ? t(l, 'New subject') : t(l, 'Address (name@example.com)')}
<input type="text" name="value" autocomplete="off" maxlength="500" .value=${subject ? d.subject : ''}></label>`);
}

/** Sets the subject or invites someone; resolves with what to show when the input or the server says no. */
export async function answerRoom(s: Session, room: string, ask: RoomQuestion, value: string, lang: string): Promise<string> {
  if (ask === 'invite' && !isBareJid(value.toLowerCase())) return t(lang, '“{value}” is not an address like name@example.com', { value });
  try {
    if (ask === 'subject') await s.rooms.setSubject(room, value);
    else await s.rooms.invite(room, value.toLowerCase());
    return '';
  } catch (e) {
    return t(lang, 'That did not work: {reason}', { reason: (e as Error & { condition?: string }).condition ?? (e as Error).message });
  }
}

// XEP-0045 roles and affiliations, as people call them.
export const roleText = (r: string, l: string) => r === 'moderator' ? t(l, 'moderator') : r === 'participant' ? t(l, 'participant')
  : r === 'visitor' ? t(l, 'visitor') : r;
export const affiliationText = (a: string, l: string) => a === 'owner' ? t(l, 'owner') : a === 'admin' ? t(l, 'admin')
  : a === 'member' ? t(l, 'member') : a === 'outcast' ? t(l, 'banned') : a;

export const headerStyles = css`
  header { display: flex; align-items: center; gap: var(--cc-space); padding: var(--cc-space) calc(var(--cc-space) * 1.5); border-bottom: 1px solid var(--cc-border); min-height: 56px; }
  header .who { flex: 1; min-width: 0; display: flex; flex-direction: column; }
  header .name { font-weight: 600; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
  header .sub { display: flex; gap: 6px; align-items: center; overflow: hidden; white-space: nowrap; text-overflow: ellipsis; }
  .occupants { border-bottom: 1px solid var(--cc-border); padding: var(--cc-space) calc(var(--cc-space) * 1.5); max-height: 40%; overflow: auto; }
  .occupants ul { list-style: none; margin: 0; padding: 0; display: grid; gap: 4px; }
  .occupants li { display: flex; gap: 8px; align-items: center; }
  .occupants .occupant { display: flex; gap: 8px; align-items: center; border: 0; background: none; padding: 2px 4px; border-radius: 6px; text-align: start; }
  .occupants .occupant:hover { background: var(--cc-bubble-in); }
  .roomtools { display: flex; gap: 6px; flex-wrap: wrap; padding: 6px calc(var(--cc-space) * 1.5); border-bottom: 1px solid var(--cc-border); }
`;

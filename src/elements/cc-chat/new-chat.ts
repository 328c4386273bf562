// "New chat": start a 1:1 by address (adding the contact), or create a room and invite people.
import { LitElement, css, html, nothing } from 'lit';
import { isBareJid } from '../../core/config.js';
import type { Session } from '../../core/session.js';
import { sharedStyles } from './shared-styles.js';
import { t } from '../i18n.js';

export class NewChat extends LitElement {
  static override styles = [sharedStyles, css`
    :host { display: block; height: 100%; overflow: auto; background: var(--cc-bg); }
    section { padding: calc(var(--cc-space) * 2); display: grid; gap: var(--cc-space); }
    h2 { font-size: 16px; margin: 0; }
    label { display: grid; gap: 4px; font-size: 13px; }
    .row { display: flex; gap: var(--cc-space); align-items: center; }
    .error { color: var(--cc-error); font-size: 13px; padding: 0 16px; }
    .grow { flex: 1; }
    .grid { display: grid; gap: 8px; }
    hr { border: 0; border-top: 1px solid var(--cc-border); margin: 0; }
  `];

  static override properties = {
    session: { attribute: false },
    error: { state: true },
    busy: { state: true },
  };
  session?: Session;
  private error = '';
  private busy = false;

  private done(jid: string, kind: 'chat' | 'room') {
    this.dispatchEvent(new CustomEvent('cc-select', { detail: { jid, kind }, bubbles: true, composed: true }));
  }

  private async start(e: Event) {
    e.preventDefault();
    const input = this.renderRoot.querySelector<HTMLInputElement>('input[name=address]')!;
    const jid = input.value.trim().toLowerCase();
    if (!isBareJid(jid)) {
      this.error = t(this.lang, '“{value}” is not an address like name@example.com', { value: input.value });
      return;
    }
    this.error = '';
    await this.session?.contacts.add(jid).catch(() => {});
    this.done(jid, 'chat');
  }

  private async create(e: Event) {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const data = new FormData(form);
    const name = String(data.get('name') ?? '').trim();
    const invite = String(data.get('invite') ?? '').split(/[\s,;]+/).map((j) => j.trim().toLowerCase()).filter(Boolean);
    const bad = invite.find((j) => !isBareJid(j));
    if (!name) return void (this.error = t(this.lang, 'Give the room a name'));
    if (bad) return void (this.error = t(this.lang, '“{value}” is not an address like name@example.com', { value: bad }));
    this.error = '';
    this.busy = true;
    try {
      const room = await this.session!.rooms.create(name, { membersOnly: data.get('members') === 'on', invite });
      this.done(room, 'room');
    } catch (err) {
      this.error = t(this.lang, 'Could not create the room: {reason}', { reason: (err as Error).message });
    } finally {
      this.busy = false;
    }
  }

  override render() {
    const l = this.lang;
    return html`<div role="dialog" aria-label=${t(l, 'New chat')}>
      <section>
        <div class="row"><button class="icon" aria-label=${t(l, 'Back')} @click=${() => this.dispatchEvent(new CustomEvent('cc-back', { bubbles: true, composed: true }))}>←</button><h2>${t(l, 'New chat')}</h2></div>
        <form @submit=${this.start} class="row">
          <label class="grow">${t(l, 'Address')}<input type="text" name="address" aria-label=${t(l, 'Address')} placeholder="name@example.com" autocomplete="off"></label>
          <button class="btn primary" type="submit">${t(l, 'Start chat')}</button>
        </form>
      </section>
      <hr>
      <section>
        <h2>${t(l, 'Create a room')}</h2>
        <form @submit=${this.create} class="grid">
          <label>${t(l, 'Room name')}<input type="text" name="name" aria-label=${t(l, 'Room name')} autocomplete="off"></label>
          <label class="row"><input type="checkbox" name="members" aria-label=${t(l, 'Members only')}> ${t(l, 'Members only')}</label>
          <label>${t(l, 'Invite (addresses, comma-separated)')}<input type="text" name="invite" aria-label=${t(l, 'Invite')} autocomplete="off"></label>
          <button class="btn primary" type="submit" ?disabled=${this.busy}>${t(l, 'Create room')}</button>
        </form>
      </section>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
    </div>`;
  }
}

// A contact's card: picture, name, address, status and last seen, and block / report / remove. For
// a room occupant (jid `room/nick`): nick, real address when the room shows it, role and affiliation.
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import type { Session } from '../../core/session.js';
import { avatar } from '../ui/avatar.js';
import { ago } from '../ui/format.js';
import { sharedStyles } from './shared-styles.js';
import { t } from '../i18n.js';
import { affiliationText, roleText, showText } from './conversation-header.js';
import { readReport, reportFields } from './dialog.js';

export class ProfileCard extends LitElement {
  static override styles = [sharedStyles, css`
    :host { display: block; }
    .card { display: flex; flex-direction: column; gap: 10px; padding: 16px; background: var(--cc-bg); color: var(--cc-fg);
      border: 1px solid var(--cc-border); border-radius: var(--cc-radius); box-shadow: 0 10px 30px rgb(0 0 0 / 0.2); max-width: 340px; margin: auto; }
    .who { display: flex; gap: 12px; align-items: center; }
    .who .avatar { font-size: 26px; }
    h2 { margin: 0; font-size: 18px; overflow-wrap: anywhere; }
    .jid { color: var(--cc-muted); font-size: 13px; overflow-wrap: anywhere; }
    .row { display: flex; gap: 8px; flex-wrap: wrap; }
    .blocked { color: var(--cc-error); font-weight: 600; }
    form { display: flex; flex-direction: column; gap: 8px; }
    .error { color: var(--cc-error); }
  `];

  static override properties = {
    session: { attribute: false },
    jid: {},
    lang: { attribute: false },
    reporting: { state: true },
    removing: { state: true },
    problem: { state: true },
  };
  session?: Session;
  jid = '';
  override lang = '';
  private reporting = false;
  private removing = false;
  private problem = '';
  private unsubs: (() => void)[] = [];

  protected override willUpdate(changed: PropertyValues<this>) {
    if (changed.has('session')) {
      this.unsubs.forEach((u) => u());
      const s = this.session;
      const r = () => this.requestUpdate();
      this.unsubs = s ? [s.$presence.listen(r), s.blocking.$blocked.listen(r), s.avatars.$urls.listen(r), s.contacts.$roster.listen(r), s.rooms.$rooms.listen(r)] : [];
    }
    if (changed.has('jid') && this.jid && !this.jid.includes('/')) void this.session?.contacts.fetchLastSeen(this.jid).catch(() => {});
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    this.unsubs.forEach((u) => u());
    this.unsubs = [];
  }

  override firstUpdated() {
    this.renderRoot.querySelector<HTMLElement>('button')?.focus();
  }

  private close() {
    this.dispatchEvent(new CustomEvent('cc-close', { bubbles: true, composed: true }));
  }

  private async run(action: () => Promise<unknown>) {
    this.problem = '';
    try {
      await action();
    } catch (e) {
      this.problem = t(this.lang, 'That did not work: {reason}', { reason: (e as Error & { condition?: string }).condition ?? (e as Error).message });
    }
    // The button that was used may be gone (Block became Unblock, the report form closed): keep
    // focus in the card, so the keyboard (Escape included) still works here.
    await this.updateComplete;
    if (!this.shadowRoot?.activeElement) this.renderRoot.querySelector<HTMLElement>('button')?.focus();
  }

  private async report(e: SubmitEvent) {
    e.preventDefault();
    const [reason, text] = readReport(e.target as HTMLFormElement);
    await this.run(async () => {
      await this.session!.blocking.block(this.target(), { reason, ...(text ? { text } : {}) });
      this.reporting = false;
    });
  }

  /** The occupant, when the card is for one. */
  private occupant() {
    const at = this.jid.indexOf('/');
    if (at < 0 || !this.session) return null;
    const room = this.jid.slice(0, at);
    const nick = this.jid.slice(at + 1);
    const r = this.session.rooms.$rooms.get()[room];
    return { nick, self: r?.nick === nick, o: r?.occupants[nick] };
  }

  /** Whom Block and Report name: an occupant's real address when known, else their address in the room. */
  private target() {
    const real = this.occupant()?.o?.jid;
    return real ? real.split('/')[0]!.toLowerCase() : this.jid;
  }

  private reportForm(name: string) {
    const l = this.lang;
    return html`<form @submit=${this.report} aria-label=${t(l, 'Report {name}', { name })}>
      ${reportFields(l)}
      <div class="row"><button class="btn primary" type="submit">${t(l, 'Send report and block')}</button>
        <button class="btn" type="button" @click=${() => (this.reporting = false)}>${t(l, 'Cancel')}</button></div>
    </form>`;
  }

  /** The card around what differs between a contact and an occupant: who, Block / Report, Close. */
  private card(s: Session, label: string, name: string, url: string | undefined, address: unknown, info: unknown, actions: unknown) {
    const l = this.lang;
    const target = this.target();
    const blocked = s.blocking.has(target);
    return html`<div class="card" part="profile" role="dialog" aria-label=${label} @keydown=${(e: KeyboardEvent) => { if (e.key === 'Escape') { e.stopPropagation(); this.close(); } }}>
      <div class="who">${avatar(name, this.jid, 64, url)}
        <div><h2>${name}</h2><div class="jid">${address}</div></div></div>
      ${info}
      ${blocked ? html`<div class="blocked" role="status">${t(l, 'Blocked: you get no messages or presence from {name}.', { name })}</div>` : nothing}
      ${this.reporting ? this.reportForm(name) : this.removing ? html`<div class="row" role="group" aria-label=${t(l, 'Remove contact')}>
          <span>${t(l, 'Remove {name} from your contacts? You will no longer see each other’s status.', { name })}</span>
          <button class="btn primary" @click=${() => this.run(async () => { await s.contacts.remove(this.jid); this.close(); })}>${t(l, 'Remove')}</button>
          <button class="btn" @click=${() => (this.removing = false)}>${t(l, 'Cancel')}</button></div>` : html`<div class="row">
          ${this.occupant()?.self ? nothing : blocked
            ? html`<button class="btn" @click=${() => this.run(() => s.blocking.unblock(target))}>${t(l, 'Unblock')}</button>`
            : html`<button class="btn" @click=${() => this.run(() => s.blocking.block(target))}>${t(l, 'Block')}</button>
                   <button class="btn" @click=${() => (this.reporting = true)}>${t(l, 'Report')}</button>`}
          ${actions}
          <button class="btn" @click=${this.close}>${t(l, 'Close')}</button></div>`}
      ${this.problem ? html`<div class="error" role="alert">${this.problem}</div>` : nothing}
    </div>`;
  }

  override render() {
    const s = this.session;
    if (!s || !this.jid) return nothing;
    const l = this.lang;
    const occ = this.occupant();
    if (occ) {
      const { nick, o } = occ;
      const real = o?.jid?.split('/')[0];
      return this.card(s, t(l, 'Occupant info'), nick, real ? s.avatars.$urls.get()[real] : undefined, real ?? t(l, 'The room does not show their address'),
        o ? html`<div>${showText(o.show, l)}</div>
          <div class="role">${t(l, 'Role: {role}', { role: roleText(o.role, l) })}${o.affiliation !== 'none' ? html` · ${t(l, 'Affiliation: {affiliation}', { affiliation: affiliationText(o.affiliation, l) })}` : nothing}</div>`
          : html`<div class="muted">${t(l, 'Not in the room any more')}</div>`, nothing);
    }
    const name = s.contacts.name(this.jid);
    const p = s.$presence.get()[this.jid];
    const show = p?.show ?? 'offline';
    return this.card(s, t(l, 'Contact info'), name, s.avatars.$urls.get()[this.jid], this.jid,
      html`<div>${showText(show, l)}${p?.status ? ` — ${p.status}` : ''}${show === 'offline' && p?.lastSeen ? html`<span class="muted"> · ${t(l, 'last seen {when}', { when: ago(p.lastSeen, l) })}</span>` : nothing}</div>`,
      s.contacts.$roster.get()[this.jid] ? html`<button class="btn" @click=${() => (this.removing = true)}>${t(l, 'Remove contact')}</button>` : nothing);
  }
}

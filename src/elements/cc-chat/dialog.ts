// What the conversation view's modal dialogs (delete, report, room questions) and the profile card's
// report form share, so each is written once.
import { html, nothing } from 'lit';
import type { ReportReason } from '../../core/protocol/blocking.js';
import { t } from '../i18n.js';

export interface DialogShell {
  lang: string;
  /** The dialog's class; its title's id is `<kind>-title`. */
  kind: string;
  /** Rendered with its form only while open, so each opening starts with empty fields. */
  open: boolean;
  title: string;
  error: string;
  /** The submit button's text. */
  action: string;
  busy?: boolean;
  submit(form: HTMLFormElement): void;
  cancel(): void;
}

/** A titled form in a <dialog> (opened modally by `syncModal`): error line, Cancel and submit; Escape cancels. */
export function dialogShell(d: DialogShell, body: unknown) {
  const id = `${d.kind}-title`;
  return html`<dialog class="confirm ${d.kind}" aria-labelledby=${id} @cancel=${(e: Event) => { e.preventDefault(); d.cancel(); }}>${d.open
    ? html`<form @submit=${(e: Event) => { e.preventDefault(); d.submit(e.currentTarget as HTMLFormElement); }}><h2 id=${id}>${d.title}</h2>${body}
${d.error ? html`<p class="error" role="alert">${d.error}</p>` : nothing}<div class="buttons"><button class="btn" type="button" @click=${d.cancel}>${t(d.lang, 'Cancel')}</button>
<button class="btn primary" type="submit" ?disabled=${!!d.busy}>${d.action}</button></div></form>`
    : nothing}</dialog>`;
}

/** Opens or closes the dialog `sel` in `root` to match `open`. */
export function syncModal(root: ParentNode, sel: string, open: boolean) {
  const dialog = root.querySelector<HTMLDialogElement>(sel);
  if (dialog && open !== dialog.open) {
    if (open) dialog.showModal();
    else dialog.close();
  }
}

/** A report's reason and optional details (XEP-0377), as a message's Report and a profile card ask them. */
export const reportFields = (l: string) => html`<label>${t(l, 'Reason')} <select name="reason"><option value="spam">${t(l, 'Spam')}</option><option value="abuse">${t(l, 'Abuse')}</option></select></label>
<label>${t(l, 'Details (optional)')} <textarea name="text" rows="3" maxlength="1000"></textarea></label>`;

/** What `reportFields` hold, details trimmed. */
export function readReport(form: HTMLFormElement): [ReportReason, string] {
  const data = new FormData(form);
  return [data.get('reason') as ReportReason, String(data.get('text') ?? '').trim()];
}

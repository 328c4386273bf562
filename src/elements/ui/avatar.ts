// Avatars: the contact's picture, or initials on a colour derived from the address (so a contact
// keeps its colour).
import { html } from 'lit';
import { cssProps } from './css-props.js';

export function avatarColor(jid: string): string {
  let h = 0;
  for (let i = 0; i < jid.length; i++) h = (h * 31 + jid.charCodeAt(i)) >>> 0;
  // Dark enough that white initials pass WCAG AA (4.5:1) at any hue, yellow included.
  return `hsl(${h % 360} 55% 30%)`;
}

export function initials(name: string): string {
  const parts = name.replace(/@.*/, '').split(/[\s._-]+/).filter(Boolean);
  const letters = parts.length > 1 ? parts[0]![0]! + parts[1]![0]! : (parts[0] ?? '?').slice(0, 2);
  return letters.toUpperCase();
}

/** The contact's picture when we have one (an object URL from the session), else initials. */
export function avatar(name: string, jid: string, size = 36, url?: string) {
  if (url) {
    return html`<img class="avatar" part="avatar" alt="" aria-hidden="true" src=${url} width=${size} height=${size}
      ${cssProps({ '--size': `${size}px`, 'object-fit': 'cover', background: avatarColor(jid) })}>`;
  }
  return html`<span class="avatar" part="avatar" aria-hidden="true"
    ${cssProps({ '--size': `${size}px`, background: avatarColor(jid) })}>${initials(name)}</span>`;
}

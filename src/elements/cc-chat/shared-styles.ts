import { css } from 'lit';

/** Pieces every part of cc-chat uses; custom properties come from the cc-chat host. */
export const sharedStyles = css`
  :host { display: block; min-height: 0; color: var(--cc-fg); font: inherit; }
  *, *::before, *::after { box-sizing: border-box; }
  [hidden] { display: none !important; }
  button, input, select, textarea { font: inherit; color: inherit; }
  button { cursor: pointer; }
  .btn { border: 1px solid var(--cc-border); background: var(--cc-bg); border-radius: calc(var(--cc-radius) / 1.5); padding: 6px 10px; }
  .btn.primary { background: var(--cc-accent); color: var(--cc-accent-contrast); border-color: var(--cc-accent); font-weight: 600; }
  .icon { border: 0; background: transparent; padding: 6px; border-radius: 8px; line-height: 1; min-width: 32px; min-height: 32px; }
  .icon:hover, .btn:hover { filter: brightness(0.95); }
  input[type='text'], input[type='search'], select, textarea {
    border: 1px solid var(--cc-border); border-radius: calc(var(--cc-radius) / 1.5); padding: 6px 8px; background: var(--cc-bg); min-width: 0;
  }
  :focus-visible { outline: 2px solid var(--cc-accent); outline-offset: 2px; }
  .avatar {
    width: var(--size); height: var(--size); border-radius: 50%; flex: none; display: inline-grid; place-items: center;
    color: #fff; font-weight: 600; font-size: calc(var(--size) * 0.4); letter-spacing: 0.02em; user-select: none;
  }
  .dot { width: 10px; height: 10px; border-radius: 50%; background: #6b7280; flex: none; border: 2px solid var(--cc-bg); }
  .dot[data-show='available'], .dot[data-show='chat'] { background: #16a34a; }
  .dot[data-show='away'], .dot[data-show='xa'] { background: #d97706; }
  .dot[data-show='dnd'] { background: #dc2626; }
  .muted { color: var(--cc-muted); font-size: 12px; }
  .badge { background: var(--cc-accent); color: var(--cc-accent-contrast); border-radius: 999px; font-size: 11px; font-weight: 700; padding: 1px 7px; min-width: 20px; text-align: center; }
  .sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
`;

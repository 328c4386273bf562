import { css } from 'lit';

export const chatStyles = css`
  :host {
    --cc-accent: #2563eb;
    --cc-accent-contrast: #fff;
    --cc-bg: #fff;
    --cc-fg: #111827;
    --cc-muted: #4b5563;
    --cc-border: #d1d5db;
    --cc-bubble-in: #f3f4f6;
    --cc-bubble-out: var(--cc-accent);
    --cc-bubble-out-fg: var(--cc-accent-contrast);
    --cc-error: #b91c1c;
    --cc-radius: 12px;
    --cc-font: system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif;
    --cc-space: 8px;
    --cc-z-index: 2147483000;
    --cc-panel-width: 380px;
    --cc-panel-height: 560px;
    display: block;
    box-sizing: border-box;
    font: 14px/1.4 var(--cc-font);
    color: var(--cc-fg);
    contain: layout style;
  }
  :host([theme='dark']) { --cc-bg: #111827; --cc-fg: #f9fafb; --cc-muted: #9ca3af; --cc-border: #374151; --cc-bubble-in: #1f2937; --cc-accent: #3b82f6; --cc-error: #fca5a5; }
  @media (prefers-color-scheme: dark) {
    :host([theme='auto']) { --cc-bg: #111827; --cc-fg: #f9fafb; --cc-muted: #9ca3af; --cc-border: #374151; --cc-bubble-in: #1f2937; --cc-accent: #3b82f6; --cc-error: #fca5a5; }
  }
  :host([mode='embedded']) { height: 100%; }
  *, *::before, *::after { box-sizing: inherit; }
  [hidden] { display: none !important; }
  .panel { display: flex; flex-direction: column; height: 100%; min-height: 0; background: var(--cc-bg); }
  :host([mode='launcher']) .panel {
    position: fixed; bottom: calc(var(--cc-space) * 10); right: calc(var(--cc-space) * 2);
    width: var(--cc-panel-width); height: var(--cc-panel-height); max-height: calc(100vh - 100px);
    border: 1px solid var(--cc-border); border-radius: var(--cc-radius); overflow: hidden;
    box-shadow: 0 10px 30px rgb(0 0 0 / 0.2); z-index: var(--cc-z-index);
  }
  :host([mode='launcher'][position='left']) .panel { right: auto; left: calc(var(--cc-space) * 2); }
  .launcher {
    position: fixed; bottom: calc(var(--cc-space) * 2); right: calc(var(--cc-space) * 2); z-index: var(--cc-z-index);
    width: 56px; height: 56px; border-radius: 50%; border: 0; background: var(--cc-accent); color: var(--cc-accent-contrast);
    font: inherit; font-size: 24px; cursor: pointer; box-shadow: 0 4px 12px rgb(0 0 0 / 0.25);
  }
  :host([position='left']) .launcher { right: auto; left: calc(var(--cc-space) * 2); }
  header { display: flex; align-items: center; gap: var(--cc-space); padding: calc(var(--cc-space) * 1.5); border-bottom: 1px solid var(--cc-border); }
  header .name { font-weight: 600; }
  .dot { width: 10px; height: 10px; border-radius: 50%; background: #9ca3af; flex: none; }
  .dot[data-show='available'], .dot[data-show='chat'] { background: #16a34a; }
  .dot[data-show='away'], .dot[data-show='xa'] { background: #d97706; }
  .dot[data-show='dnd'] { background: #dc2626; }
  .presence { color: var(--cc-muted); font-size: 12px; }
  .status { padding: 4px var(--cc-space); font-size: 12px; color: var(--cc-muted); background: var(--cc-bubble-in); }
  .log { flex: 1; overflow-y: auto; padding: var(--cc-space); display: flex; flex-direction: column; gap: 4px; min-height: 0; }
  .msg { max-width: 80%; padding: 6px 10px; border-radius: var(--cc-radius); background: var(--cc-bubble-in); align-self: flex-start; overflow-wrap: anywhere; }
  .msg .body { white-space: pre-wrap; }
  .msg.out { align-self: flex-end; background: var(--cc-bubble-out); color: var(--cc-bubble-out-fg); }
  .meta { display: block; font-size: 11px; opacity: 0.8; text-align: end; }
  .msg.failed { outline: 2px solid var(--cc-error); }
  .empty { margin: auto; color: var(--cc-muted); }
  form { display: flex; gap: var(--cc-space); padding: var(--cc-space); border-top: 1px solid var(--cc-border); }
  textarea { flex: 1; resize: none; font: inherit; color: inherit; background: var(--cc-bg); border: 1px solid var(--cc-border); border-radius: calc(var(--cc-radius) / 1.5); padding: 8px; min-height: 38px; max-height: 120px; }
  button.send { border: 0; border-radius: calc(var(--cc-radius) / 1.5); padding: 0 16px; background: var(--cc-accent); color: var(--cc-accent-contrast); font: inherit; font-weight: 600; cursor: pointer; }
  button:focus-visible, textarea:focus-visible { outline: 2px solid var(--cc-accent); outline-offset: 2px; }
  .error { margin: var(--cc-space); padding: var(--cc-space); border: 1px solid var(--cc-error); border-radius: var(--cc-radius); color: var(--cc-error); }
  .error .attr { display: block; font-size: 12px; }
  @media (max-width: 640px) {
    :host([mode='launcher']) .panel { inset: 0; width: auto; height: auto; max-height: none; border-radius: 0; }
  }
`;

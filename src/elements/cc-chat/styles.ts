import { css } from 'lit';
import { themeTokens } from '../ui/theme.js';

const own = css`
  :host {
    --cc-bubble-in: #f3f4f6;
    --cc-bubble-out: var(--cc-accent);
    --cc-bubble-out-fg: var(--cc-accent-contrast);
    --cc-space: 8px;
    --cc-z-index: 2147483000;
    --cc-panel-width: 380px;
    --cc-panel-height: 560px;
    display: block;
    box-sizing: border-box;
    font: var(--cc-font-size, 14px)/1.4 var(--cc-font);
    color: var(--cc-fg);
    --cc-scheme: light;
  }
  :host([theme='dark']) { --cc-bubble-in: #1f2937; --cc-error: #fca5a5; --cc-scheme: dark; }
  @media (prefers-color-scheme: dark) {
    :host([theme='auto']) { --cc-bubble-in: #1f2937; --cc-error: #fca5a5; --cc-scheme: dark; }
  }
  /* The page's rules reach the host element (a page's "* { all: unset }" or "body { letter-spacing }"
     included), and what the host inherits flows into the shadow tree. The outermost boxes start from
     initial values instead (direction stays inherited, for RTL pages), so nothing the page sets on
     itself or on the host changes how the widget looks; the rules below then set what they need. */
  .launcher, .panel, .live {
    all: initial; box-sizing: border-box; font: var(--cc-font-size, 14px)/1.4 var(--cc-font); color: var(--cc-fg); color-scheme: var(--cc-scheme);
  }
  :host([mode='embedded']), :host([mode='split']) { height: 100%; }
  *, *::before, *::after { box-sizing: inherit; }
  [hidden] { display: none !important; }
  .live { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
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
    font-size: 24px; cursor: pointer; box-shadow: 0 4px 12px rgb(0 0 0 / 0.25);
  }
  :host([position='left']) .launcher { right: auto; left: calc(var(--cc-space) * 2); }
  .launcher { display: grid; place-items: center; }
  .launcher .badge {
    position: absolute; top: -4px; right: -4px; background: var(--cc-error-strong, #dc2626); color: #fff; border-radius: 999px;
    font-size: 11px; font-weight: 700; padding: 1px 6px; min-width: 20px; font-family: var(--cc-font);
  }
  .status { padding: 4px var(--cc-space); font-size: 12px; color: var(--cc-muted); background: var(--cc-bubble-in); }
  .panel > cc-chat-view, .panel > cc-chat-list, .panel > cc-chat-new { flex: 1; min-height: 0; }
  .split { flex: 1; min-height: 0; display: grid; grid-template-columns: minmax(240px, 34%) 1fr; }
  .list-pane { border-inline-end: 1px solid var(--cc-border); min-height: 0; display: flex; flex-direction: column; }
  .list-pane > *, .conv-pane > * { flex: 1; min-height: 0; }
  .conv-pane { min-height: 0; display: flex; flex-direction: column; }
  .empty { margin: auto; color: var(--cc-muted); }
  cc-call.dock { flex: none; --cc-call-width: 100%; --cc-call-stage-max-height: 200px; max-height: 75%; overflow: auto; }
  .board { position: absolute; inset: 0; z-index: 2; display: flex; flex-direction: column; background: var(--cc-bg); }
  :host([mode='launcher']) .board {
    position: fixed; inset: calc(var(--cc-space) * 2); z-index: var(--cc-z-index); border: 1px solid var(--cc-border);
    border-radius: var(--cc-radius); overflow: hidden; box-shadow: 0 10px 30px rgb(0 0 0 / 0.2);
  }
  .board-bar { display: flex; align-items: center; gap: var(--cc-space); padding: var(--cc-space); border-bottom: 1px solid var(--cc-border); }
  .board-bar .title { flex: 1; font-weight: 600; }
  .board-bar button {
    font: inherit; color: inherit; cursor: pointer; border: 1px solid var(--cc-border); background: var(--cc-bg);
    border-radius: calc(var(--cc-radius) / 1.5); padding: 6px 10px;
  }
  .board-bar button:focus-visible { outline: 2px solid var(--cc-accent); outline-offset: 2px; }
  .board cc-whiteboard { flex: 1; min-height: 0; }
  .push { padding: 4px var(--cc-space); border-bottom: 1px solid var(--cc-border); font-size: 13px; }
  .ask { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; padding: 6px var(--cc-space); border-bottom: 1px solid var(--cc-border); font-size: 13px; }
  .ask span { flex: 1; min-width: 160px; }
  .header-action {
    border: 1px solid var(--cc-border); background: var(--cc-bg); color: var(--cc-fg); border-radius: calc(var(--cc-radius) / 1.5);
    min-width: 32px; height: 32px; padding: 0 8px; font: inherit; cursor: pointer;
  }
  .panel { position: relative; }
  .overlay { position: absolute; inset: 0; display: flex; padding: 16px; background: rgb(0 0 0 / 0.35); z-index: 2; overflow: auto; }
  .header-action:focus-visible { outline: 2px solid var(--cc-accent); outline-offset: 2px; }
  .error { margin: var(--cc-space); padding: var(--cc-space); border: 1px solid var(--cc-error); border-radius: var(--cc-radius); color: var(--cc-error); }
  .error .attr { display: block; font-size: 12px; }
  @media (max-width: 640px) {
    :host([mode='launcher']) .panel { inset: 0; width: auto; height: auto; max-height: none; border-radius: 0; }
    :host([mode='launcher']) .board { inset: 0; border-radius: 0; }
  }
`;

export const chatStyles = [themeTokens, own];

import { css } from 'lit';
import { themeTokens } from '../ui/theme.js';

const own = css`
  :host {
    --cc-board-bg: #fff;
    --cc-board-grid: rgb(0 0 0 / 0.08);
    --cc-toolbar-bg: rgb(255 255 255 / 0.95);
    display: block;
    position: relative;
    box-sizing: border-box;
    min-height: 240px;
    height: 100%;
    font: 14px/1.4 var(--cc-font);
    color: var(--cc-fg);
    contain: layout style;
  }
  :host([theme='dark']) { --cc-toolbar-bg: rgb(17 24 39 / 0.95); }
  @media (prefers-color-scheme: dark) {
    :host([theme='auto']) { --cc-toolbar-bg: rgb(17 24 39 / 0.95); }
  }
  *, *::before, *::after { box-sizing: inherit; }
  [hidden] { display: none !important; }
  .board {
    position: absolute; inset: 0; overflow: hidden; background: var(--cc-board-bg);
    border: 1px solid var(--cc-border); border-radius: var(--cc-radius);
  }
  .board.grid {
    background-image:
      linear-gradient(to right, var(--cc-board-grid) 1px, transparent 1px),
      linear-gradient(to bottom, var(--cc-board-grid) 1px, transparent 1px);
  }
  canvas { position: absolute; inset: 0; width: 100%; height: 100%; display: block; }
  canvas.overlay { touch-action: none; cursor: crosshair; outline: none; }
  canvas.overlay:focus-visible { box-shadow: inset 0 0 0 2px var(--cc-accent); }
  .board[data-tool='select'] canvas.overlay { cursor: default; }
  .board[data-tool='text'] canvas.overlay { cursor: text; }
  .board.panning canvas.overlay { cursor: grabbing; }
  .board.readonly canvas.overlay { cursor: grab; }
  .toolbar, .zoom, .actions {
    position: absolute; display: flex; gap: 2px; align-items: center; padding: 4px;
    background: var(--cc-toolbar-bg); border: 1px solid var(--cc-border); border-radius: 10px;
    box-shadow: 0 2px 8px rgb(0 0 0 / 0.12); color: var(--cc-fg);
  }
  .toolbar { top: 8px; left: 8px; right: 8px; margin-inline: auto; width: max-content; max-width: calc(100% - 16px); flex-wrap: wrap; justify-content: center; }
  .zoom { bottom: 8px; inset-inline-start: 8px; }
  .actions { top: 60px; left: 8px; right: 8px; margin-inline: auto; width: max-content; }
  .sep { width: 1px; align-self: stretch; background: var(--cc-border); margin: 2px 4px; }
  button {
    font: inherit; min-width: 32px; height: 32px; padding: 0 6px; border: 0; border-radius: 6px;
    background: transparent; color: inherit; cursor: pointer; display: inline-flex; align-items: center; justify-content: center;
  }
  button:hover { background: rgb(127 127 127 / 0.15); }
  button[aria-pressed='true'] { background: var(--cc-accent); color: var(--cc-accent-contrast); }
  button:disabled { opacity: 0.4; cursor: default; }
  button:focus-visible, input:focus-visible { outline: 2px solid var(--cc-accent); outline-offset: 1px; }
  svg { width: 18px; height: 18px; fill: none; stroke: currentColor; stroke-width: 2; stroke-linecap: round; stroke-linejoin: round; pointer-events: none; }
  input[type='color'] { width: 32px; height: 28px; padding: 0; border: 1px solid var(--cc-border); border-radius: 6px; background: none; }
  input[type='range'] { width: 80px; }
  .menu {
    position: absolute; top: 100%; inset-inline-end: 0; margin-top: 4px; display: flex; flex-direction: column; gap: 2px; padding: 4px;
    background: var(--cc-bg); border: 1px solid var(--cc-border); border-radius: 8px; box-shadow: 0 4px 12px rgb(0 0 0 / 0.15); z-index: 1;
  }
  .menu button { justify-content: flex-start; white-space: nowrap; }
  .export { position: relative; }
  .zoom output { min-width: 44px; text-align: center; font-variant-numeric: tabular-nums; font-size: 12px; }
  textarea.text-editor {
    position: absolute; margin: 0; padding: 0; border: 1px dashed var(--cc-accent); background: transparent; resize: none;
    overflow: hidden; white-space: pre; outline: none; line-height: 1.25; min-width: 20px; transform-origin: 0 0;
    font-family: var(--cc-font);
  }
  .status {
    position: absolute; bottom: 8px; inset-inline-end: 8px; padding: 2px 8px; border-radius: 6px; font-size: 12px;
    color: var(--cc-muted); background: var(--cc-toolbar-bg); border: 1px solid var(--cc-border);
  }
  .error { position: absolute; inset: 8px auto auto 8px; right: 8px; padding: 8px 12px; border-radius: 8px; color: var(--cc-error); background: var(--cc-bg); border: 1px solid currentColor; }
  .error .attr { display: block; font-size: 12px; }
`;

export const whiteboardStyles = [themeTokens, own];

import { css } from 'lit';
import { themeTokens } from '../ui/theme.js';

const own = css`
  :host {
    --cc-stage: #0b1220;
    --cc-danger: #dc2626;
    --cc-ok: #16a34a;
    --cc-space: 8px;
    --cc-call-width: 420px;
    --cc-z-index: 2147483000;
    display: block;
    box-sizing: border-box;
    font: 14px/1.4 var(--cc-font);
    color: var(--cc-fg);
  }
  :host([theme='dark']) { --cc-error: #fca5a5; }
  @media (prefers-color-scheme: dark) {
    :host([theme='auto']) { --cc-error: #fca5a5; }
  }
  *, *::before, *::after { box-sizing: inherit; }
  [hidden] { display: none !important; }
  .panel {
    width: min(100%, var(--cc-call-width)); background: var(--cc-bg); border: 1px solid var(--cc-border);
    border-radius: var(--cc-radius); overflow: hidden; display: flex; flex-direction: column;
  }
  :host([fullscreen]) .panel, .panel.full { position: fixed; inset: 0; width: auto; border-radius: 0; z-index: var(--cc-z-index); }
  .bar { display: flex; align-items: center; gap: var(--cc-space); padding: var(--cc-space); flex-wrap: wrap; }
  .bar .who { font-weight: 600; flex: 1; min-width: 0; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
  .muted-text { color: var(--cc-muted); font-size: 12px; }
  button, select {
    font: inherit; border-radius: 999px; border: 1px solid var(--cc-border); background: var(--cc-bg); color: var(--cc-fg);
    padding: 6px 12px; cursor: pointer;
  }
  select { border-radius: 8px; max-width: 100%; }
  button[aria-pressed='true'] { background: var(--cc-fg); color: var(--cc-bg); }
  button:focus-visible, select:focus-visible { outline: 2px solid var(--cc-accent); outline-offset: 2px; }
  .primary { background: var(--cc-accent); color: var(--cc-accent-contrast); border-color: transparent; }
  .accept { background: var(--cc-ok); color: #fff; border-color: transparent; }
  .danger { background: var(--cc-danger); color: #fff; border-color: transparent; }
  .stage {
    position: relative; background: var(--cc-stage); color: #fff; min-height: 200px; display: grid; gap: 4px;
    grid-template-columns: repeat(auto-fit, minmax(160px, 1fr)); aspect-ratio: 4 / 3;
    max-height: var(--cc-call-stage-max-height, none);
  }
  .panel.full .stage, :host([fullscreen]) .stage { flex: 1; aspect-ratio: auto; max-height: none; }
  .tile { position: relative; display: grid; place-items: center; min-height: 0; overflow: hidden; }
  .tile video { width: 100%; height: 100%; object-fit: cover; }
  .tile .label { position: absolute; inset-inline-start: 6px; bottom: 6px; font-size: 12px; background: rgb(0 0 0 / 0.5); padding: 1px 6px; border-radius: 6px; }
  .avatar {
    width: 72px; height: 72px; border-radius: 50%; display: grid; place-items: center; font-size: 30px; font-weight: 700;
    background: var(--cc-accent); color: var(--cc-accent-contrast); text-transform: uppercase;
  }
  .self { position: absolute; inset-inline-end: 8px; bottom: 8px; width: 28%; max-width: 160px; border-radius: 8px; overflow: hidden; border: 2px solid rgb(255 255 255 / 0.6); background: #000; }
  .self video { width: 100%; display: block; transform: scaleX(-1); }
  .controls { display: flex; flex-wrap: wrap; gap: 6px; justify-content: center; padding: var(--cc-space); }
  .devices { display: grid; grid-template-columns: auto 1fr; gap: 4px 8px; padding: 0 var(--cc-space) var(--cc-space); font-size: 12px; align-items: center; }
  .quality[data-q='good'] { color: var(--cc-ok); }
  .quality[data-q='fair'] { color: #b45309; }
  .quality[data-q='poor'] { color: var(--cc-danger); }
  .incoming { display: flex; flex-direction: column; align-items: center; gap: var(--cc-space); padding: calc(var(--cc-space) * 2); }
  .incoming .avatar { color: #fff; }
  .incoming .actions { display: flex; gap: var(--cc-space); }
  .notice { margin: var(--cc-space); padding: 6px var(--cc-space); border-radius: 8px; background: #fef3c7; color: #78350f; font-size: 13px; }
  .error { margin: var(--cc-space); padding: var(--cc-space); border: 1px solid var(--cc-error); border-radius: var(--cc-radius); color: var(--cc-error); }
  .error .attr { display: block; font-size: 12px; }
`;

export const callStyles = [themeTokens, own];

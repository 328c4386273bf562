// Inline SVG icons for the board's controls (decorative: every button carries its own accessible name).
import { svg } from 'lit';

const icon = (body: ReturnType<typeof svg>) => svg`<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">${body}</svg>`;

export const ICONS = {
  select: icon(svg`<path d="M5 3l14 9-6 1.5L10 20z"/>`),
  pen: icon(svg`<path d="M4 20c3-1 4-4 7-7l6-6 2 2-6 6c-3 3-6 4-9 5z"/>`),
  rectangle: icon(svg`<rect x="4" y="6" width="16" height="12" rx="1"/>`),
  ellipse: icon(svg`<ellipse cx="12" cy="12" rx="8" ry="6"/>`),
  arrow: icon(svg`<path d="M5 19L19 5M11 5h8v8"/>`),
  text: icon(svg`<path d="M5 6V4h14v2M12 4v16M9 20h6"/>`),
  eraser: icon(svg`<path d="M8 20h12M5 15l9-9 5 5-8 8H8z"/>`),
  undo: icon(svg`<path d="M9 14L4 9l5-5M4 9h10a6 6 0 010 12h-3"/>`),
  redo: icon(svg`<path d="M15 14l5-5-5-5M20 9H10a6 6 0 000 12h3"/>`),
  export: icon(svg`<path d="M12 3v12M7 10l5 5 5-5M5 21h14"/>`),
  plus: icon(svg`<path d="M12 5v14M5 12h14"/>`),
  minus: icon(svg`<path d="M5 12h14"/>`),
  forward: icon(svg`<path d="M12 19V5M6 11l6-6 6 6"/>`),
  backward: icon(svg`<path d="M12 5v14M6 13l6 6 6-6"/>`),
  trash: icon(svg`<path d="M4 7h16M9 7V4h6v3M6 7l1 13h10l1-13"/>`),
};

import { css } from 'lit';

/** Design tokens every cc-* element shares; elements add their own and may override these. */
export const themeTokens = css`
  :host {
    --cc-accent: #2563eb;
    --cc-accent-contrast: #fff;
    --cc-bg: #fff;
    --cc-fg: #111827;
    --cc-muted: #4b5563;
    --cc-border: #d1d5db;
    --cc-error: #b91c1c;
    --cc-radius: 12px;
    --cc-font: system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif;
  }
  :host([theme='dark']) { --cc-bg: #111827; --cc-fg: #f9fafb; --cc-muted: #9ca3af; --cc-border: #374151; }
  @media (prefers-color-scheme: dark) {
    :host([theme='auto']) { --cc-bg: #111827; --cc-fg: #f9fafb; --cc-muted: #9ca3af; --cc-border: #374151; }
  }
`;

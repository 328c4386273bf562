// A shared file in a message: images inline, video and audio in the browser's own players, a card
// with name, size and a download link for anything else. Media boxes are sized before anything
// loads (from the sender's width/height, else a fixed box), so the log never jumps. The URL has
// passed readAttachment's http(s) check.
import { css, html, nothing } from 'lit';
import { attachmentKind, type Attachment } from '../../core/protocol/attachment.js';
import { t } from '../i18n.js';
import { cssProps } from '../ui/css-props.js';
import { fileSize } from '../ui/format.js';

/** Longest side, in CSS pixels, of an inline image or video. */
const MAX_SIDE = 280;

function box(a: Attachment) {
  if (!a.width || !a.height) return cssProps({});
  const scale = Math.min(1, MAX_SIDE / a.width, MAX_SIDE / a.height);
  return cssProps({ width: `${Math.max(1, Math.round(a.width * scale))}px`, 'aspect-ratio': `${a.width}/${a.height}` });
}

export function renderAttachment(a: Attachment, lang: string) {
  const kind = attachmentKind(a);
  const cls = a.width && a.height ? 'sized' : 'box';
  switch (kind) {
    case 'image':
      return html`<a class="media" href=${a.url} target="_blank" rel="noopener noreferrer"><img class=${cls} src=${a.url} alt=${a.name}
        width=${a.width ?? nothing} height=${a.height ?? nothing} ${box(a)} loading="lazy" decoding="async"></a>`;
    case 'video':
      return html`<video class="media ${cls} wide" src=${a.url} controls preload="metadata" aria-label=${a.name} ${box(a)}></video>`;
    case 'audio':
      return html`<audio class="media" src=${a.url} controls preload="metadata" aria-label=${a.name}></audio>`;
    default:
      return html`<span class="file"><span class="ficon" aria-hidden="true">📄</span><span class="fname" dir="auto">${a.name}</span>
        ${a.size !== undefined ? html`<span class="fsize">${fileSize(a.size, lang)}</span>` : nothing}
        <a href=${a.url} target="_blank" rel="noopener noreferrer" download=${a.name}>${t(lang, 'Download')}</a></span>`;
  }
}

/** Width and height of an image or video file, when the browser can read them. */
export async function mediaSize(file: File): Promise<{ width?: number; height?: number }> {
  try {
    if (file.type.startsWith('image/')) {
      const bmp = await createImageBitmap(file);
      const size = { width: bmp.width, height: bmp.height };
      bmp.close();
      return size;
    }
    if (file.type.startsWith('video/')) {
      const v = document.createElement('video');
      const url = URL.createObjectURL(file);
      try {
        v.preload = 'metadata';
        v.src = url;
        await new Promise((ok, fail) => {
          v.onloadedmetadata = ok;
          v.onerror = fail;
          setTimeout(fail, 5000);
        });
        return v.videoWidth ? { width: v.videoWidth, height: v.videoHeight } : {};
      } finally {
        URL.revokeObjectURL(url);
      }
    }
  } catch {
    // Not readable here (an unsupported format): it goes without a size.
  }
  return {};
}

export const attachmentStyles = css`
  .media { display: block; max-width: 100%; margin: 2px 0 4px; }
  .media img, video.media { display: block; max-width: 100%; height: auto; border-radius: calc(var(--cc-radius) / 1.5);
    background: color-mix(in srgb, currentColor 8%, transparent); }
  .media img.box { width: 240px; aspect-ratio: 4 / 3; object-fit: contain; }
  video.media.box { width: ${MAX_SIDE}px; aspect-ratio: 16 / 9; }
  audio.media { width: ${MAX_SIDE}px; }
  .file { display: flex; flex-wrap: wrap; align-items: baseline; gap: 4px 8px; margin: 2px 0 4px; padding: 6px 8px;
    border: 1px solid color-mix(in srgb, currentColor 25%, transparent); border-radius: calc(var(--cc-radius) / 1.5); }
  .file .fname { font-weight: 600; overflow-wrap: anywhere; }
  .file .fsize { font-size: 12px; opacity: 0.8; }
  .file a { color: inherit; }
`;

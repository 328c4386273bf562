// The emoji picker (emoji-picker-element), its own chunk loaded when first opened. Its data ships
// with the widget (a JSON file next to the chunks), so nothing is fetched from a third-party CDN.
import 'emoji-picker-element';

export const emojiData = new URL('../../../node_modules/emoji-picker-element-data/en/emojibase/data.json', import.meta.url).href;

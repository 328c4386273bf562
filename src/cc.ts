// The script-tag entry: `<script type="module" src="…/cc.js">` defines every cc-* element.
export * from './chat.js';

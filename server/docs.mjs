// The element reference of the demo site (demo/docs/reference.html), generated from
// custom-elements.json whenever Vite serves or builds the page — never copied by hand. The manifest
// is regenerated first when an element's source is newer.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';

const MARK = '<!-- cc:reference -->';
const SOURCES = ['src/elements/base.ts', 'src/elements/cc-chat/cc-chat.ts', 'src/elements/cc-call/cc-call.ts', 'src/elements/cc-whiteboard/cc-whiteboard.ts'];

const esc = (/** @type {unknown} */ s) => String(s ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
/** Descriptions are plain text with `code` spans (JSDoc); escaped first, so no HTML gets through. */
const text = (/** @type {unknown} */ s) => esc(s).replace(/`([^`]+)`/g, '<code>$1</code>');

/**
 * @typedef {{ name: string, description?: string, type?: { text: string }, default?: string, fieldName?: string, inheritedFrom?: { name: string } }} Item
 * @param {{ modules: { path: string, declarations?: any[] }[] }} manifest
 */
export function renderReference(manifest) {
  const elements = manifest.modules.flatMap((m) => (m.declarations ?? []).filter((d) => d.tagName).map((d) => ({ ...d, module: m.path })));
  const table = (/** @type {string} */ title, /** @type {string[]} */ head, /** @type {string[][]} */ rows) => (rows.length
    ? `<h3>${title}</h3><table><thead><tr>${head.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('')}</tbody></table>`
    : '');
  const toc = `<nav aria-label="Elements"><ul>${elements.map((d) => `<li><a href="#${esc(d.tagName)}"><code>&lt;${esc(d.tagName)}&gt;</code></a></li>`).join('')}</ul></nav>`;
  const sections = elements.map((d) => {
    const methods = (d.members ?? []).filter((/** @type {any} */ m) => m.kind === 'method' && !m.privacy && !m.static && !m.name.startsWith('_') && m.description);
    return `<section id="${esc(d.tagName)}" aria-labelledby="h-${esc(d.tagName)}">
<h2 id="h-${esc(d.tagName)}"><code>&lt;${esc(d.tagName)}&gt;</code></h2>
<p>${text(d.description)}</p>
${table('Attributes', ['Attribute', 'Type', 'Default', 'Description'], (d.attributes ?? []).map((/** @type {Item} */ a) => [
    `<code>${esc(a.name)}</code>`, a.type ? `<code>${esc(a.type.text)}</code>` : '', a.default ? `<code>${esc(a.default)}</code>` : '',
    text(a.description) + (a.inheritedFrom ? ' <small>(every cc-* element)</small>' : ''),
  ]))}
${table('Events', ['Event', 'Detail', 'Description'], (d.events ?? []).map((/** @type {Item} */ e) => [`<code>${esc(e.name)}</code>`, e.type ? `<code>${esc(e.type.text)}</code>` : '', text(e.description)]))}
${table('Methods', ['Method', 'Description'], methods.map((/** @type {any} */ m) => [`<code>${esc(m.name)}(${(m.parameters ?? []).map((/** @type {Item} */ p) => esc(p.name)).join(', ')})</code>`, text(m.description)]))}
${table('CSS parts', ['Part', 'Description'], (d.cssParts ?? []).map((/** @type {Item} */ p) => [`<code>::part(${esc(p.name)})</code>`, text(p.description)]))}
${table('CSS custom properties', ['Property', 'Description'], (d.cssProperties ?? []).map((/** @type {Item} */ p) => [`<code>${esc(p.name)}</code>`, text(p.description)]))}
</section>`;
  });
  return `${toc}\n${sections.join('\n')}`;
}

/** Runs the analyzer (`cem analyze`) when custom-elements.json is missing or older than a source. */
export function freshManifest(root = process.cwd()) {
  const file = resolve(root, 'custom-elements.json');
  const stale = !existsSync(file) || SOURCES.some((s) => statSync(resolve(root, s)).mtimeMs > statSync(file).mtimeMs);
  if (stale) {
    const r = spawnSync(process.execPath, [resolve(root, 'node_modules/@custom-elements-manifest/analyzer/cem.js'), 'analyze'], { cwd: root, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`cem analyze failed: ${r.stderr || r.stdout}`);
  }
  return JSON.parse(readFileSync(file, 'utf8'));
}

/** Vite plugin: fills the reference page's `<!-- cc:reference -->` from the manifest. */
export function referencePlugin() {
  return {
    name: 'cc-docs-reference',
    /** @param {string} html */
    transformIndexHtml(html) {
      return html.includes(MARK) ? html.replace(MARK, renderReference(freshManifest())) : html;
    },
  };
}

// The docs' element reference is generated from custom-elements.json (server/docs.mjs): every
// attribute, event, method, part and CSS property of every element is on the page, escaped.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { referencePlugin, renderReference } from '../../server/docs.mjs';

const manifest = JSON.parse(readFileSync('custom-elements.json', 'utf8'));
const elements = manifest.modules.flatMap((/** @type {any} */ m) => m.declarations ?? []).filter((/** @type {any} */ d) => d.tagName);

describe('docs: element reference', () => {
  const html = renderReference(manifest);
  const section = (/** @type {string} */ tag) => html.slice(html.indexOf(`<section id="${tag}"`), html.indexOf('</section>', html.indexOf(`<section id="${tag}"`)));

  for (const d of elements) {
    it(`<${d.tagName}>: everything the manifest lists`, () => {
      const s = section(d.tagName);
      assert.ok(s.length > 0);
      for (const a of d.attributes) assert.ok(s.includes(`<td><code>${a.name}</code></td>`), `attribute ${a.name}`);
      for (const e of d.events) assert.ok(s.includes(`<td><code>${e.name}</code></td>`), `event ${e.name}`);
      for (const p of d.cssParts) assert.ok(s.includes(`<code>::part(${p.name})</code>`), `part ${p.name}`);
      for (const p of d.cssProperties) assert.ok(s.includes(`<td><code>${p.name}</code></td>`), `CSS property ${p.name}`);
      for (const m of d.members.filter((/** @type {any} */ x) => x.kind === 'method' && !x.privacy)) assert.ok(s.includes(`<code>${m.name}(`), `method ${m.name}`);
    });
  }

  it('escapes descriptions and keeps only `code` spans as markup', () => {
    const out = renderReference({ modules: [{ path: 'x.js', declarations: [{ tagName: 'cc-x', description: 'Uses <b>bold</b> & `a<b>`', attributes: [{ name: 'a', description: '<img src=x onerror=alert(1)>' }] }] }] });
    assert.ok(out.includes('Uses &#60;b&#62;bold&#60;/b&#62; &#38; <code>a&#60;b&#62;</code>'));
    assert.ok(!out.includes('<img'));
  });

  it('the Vite plugin fills the placeholder of the reference page, and leaves other pages alone', () => {
    const plugin = referencePlugin();
    const page = readFileSync('demo/docs/reference.html', 'utf8');
    assert.ok(page.includes('<!-- cc:reference -->'));
    const out = plugin.transformIndexHtml(page);
    assert.ok(!out.includes('<!-- cc:reference -->'));
    for (const d of elements) assert.ok(out.includes(`<section id="${d.tagName}"`));
    assert.equal(plugin.transformIndexHtml('<p>other</p>'), '<p>other</p>');
  });
});

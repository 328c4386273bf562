// custom-elements.json against the real classes: every attribute an element observes is in the
// manifest (so a new @property cannot go undocumented), and the manifest invents none.
import { expect } from '@open-wc/testing';
import { CcCall } from '../../src/call.js';
import { CcChat } from '../../src/chat.js';
import { CcWhiteboard } from '../../src/whiteboard.js';

interface Decl { tagName?: string; attributes?: { name: string }[] }

describe('custom-elements.json', () => {
  let byTag: Map<string, Decl>;
  before(async () => {
    const manifest = (await (await fetch('/custom-elements.json')).json()) as { modules: { declarations?: Decl[] }[] };
    byTag = new Map(manifest.modules.flatMap((m) => m.declarations ?? []).filter((d) => d.tagName).map((d) => [d.tagName!, d]));
  });

  const classes: [string, { observedAttributes: string[] }][] = [
    ['cc-chat', CcChat as unknown as { observedAttributes: string[] }],
    ['cc-call', CcCall as unknown as { observedAttributes: string[] }],
    ['cc-whiteboard', CcWhiteboard as unknown as { observedAttributes: string[] }],
  ];
  for (const [tag, cls] of classes) {
    it(`${tag}: the manifest's attributes are exactly what the element observes (plus the global lang)`, () => {
      const documented = (byTag.get(tag)?.attributes ?? []).map((a) => a.name).sort();
      // lang is documented on every element; whether the class observes it (to follow changes) or not.
      expect(documented).to.deep.equal([...new Set([...cls.observedAttributes, 'lang'])].sort());
      expect(customElements.get(tag)).to.equal(cls);
    });
  }
});

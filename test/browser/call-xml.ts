// Test helper: turns XML text (as it travels on the wire) back into the element objects the call
// modules read, through the browser's own XML parser, so tests parse exactly what was serialised.
import { xml, type Element } from '../../src/core/xmpp.js';

export function parseXml(text: string): Element {
  const doc = new DOMParser().parseFromString(text, 'application/xml');
  const err = doc.querySelector('parsererror');
  if (err) throw new Error(`not well-formed XML: ${err.textContent}`);
  return convert(doc.documentElement, undefined);
}

function convert(node: globalThis.Element, parentNs: string | undefined): Element {
  const attrs: Record<string, string> = {};
  for (const a of node.attributes) if (a.name !== 'xmlns') attrs[a.name] = a.value;
  const ns = node.namespaceURI ?? undefined;
  if (ns && ns !== parentNs) attrs.xmlns = ns;
  const children: (Element | string)[] = [];
  for (const c of node.childNodes) {
    if (c.nodeType === Node.ELEMENT_NODE) children.push(convert(c as globalThis.Element, ns));
    else if (c.nodeType === Node.TEXT_NODE && c.textContent) children.push(c.textContent);
  }
  return xml(node.localName, attrs, ...children);
}

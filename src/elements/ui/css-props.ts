// Inline styles through the CSSOM. A strict Content-Security-Policy (no 'unsafe-inline') blocks
// `style` attributes, and lit's styleMap writes one on its first render; setting properties on
// element.style is allowed.
import { nothing } from 'lit';
import { Directive, directive, type ElementPart } from 'lit/directive.js';

class CssProps extends Directive {
  render(_props: Readonly<Record<string, string>>) {
    return nothing;
  }

  override update(part: ElementPart, [props]: [Readonly<Record<string, string>>]) {
    const style = (part.element as HTMLElement).style;
    for (const [k, v] of Object.entries(props)) style.setProperty(k, v);
    return nothing;
  }
}

/** `<span ${cssProps({ width: '10px', '--size': '24px' })}>`: sets these properties on the element's style. */
export const cssProps = directive(CssProps);

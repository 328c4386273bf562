// The build's CSS compaction for lit css`…` templates (server/css-literals.mjs): whitespace and
// comments go, while strings, descendant combinators and ${…} expressions stay as written.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { minifyCss, minifyCssLiterals } from '../../server/css-literals.mjs';

describe('css literal compaction', () => {
  it('drops indentation, comments and the last semicolon of a block', () => {
    assert.equal(minifyCss('\n  .a, .b {\n    color: red; /* why */\n    margin: 0 auto;\n  }\n'), ' .a,.b{color:red;margin:0 auto}');
  });

  it('keeps quoted strings, calc spacing and the space before a pseudo-class', () => {
    assert.equal(minifyCss(`.x :hover { content: "a ;  } b"; width: calc(100% - 8px); }`), `.x :hover{content:"a ;  } b";width:calc(100% - 8px)}`);
    assert.equal(minifyCss(`[data-x='a  b'] { font: 12px / 1.5 a, b; }`), `[data-x='a  b']{font:12px / 1.5 a,b}`);
  });

  it('edits only the static text of css templates, not expressions or other templates', () => {
    const src = 'const s = css`\n  :host { --c: ${unsafeCSS(color)}; }\n  .a { gap: 4px; }\n`;\nconst h = html`<p>  two  spaces</p>`;\n';
    assert.equal(minifyCssLiterals(src)?.toString(), 'const s = css`:host{--c:${unsafeCSS(color)}}.a{gap:4px}`;\nconst h = html`<p>  two  spaces</p>`;\n');
  });

  it('leaves a template alone when an expression holds a string or template of its own', () => {
    assert.equal(minifyCssLiterals('css`\n  .a { b: ${x ? "1" : "2"}; }\n`'), undefined);
    assert.equal(minifyCssLiterals('const x = 1;'), undefined);
  });
});

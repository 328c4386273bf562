// `cem analyze` (run by `npm run build`): custom-elements.json from the elements' JSDoc (@tag,
// @attr, @fires, @csspart, @cssprop) and lit's @property declarations.
const ENTRY = { 'cc-chat': 'lib/chat.js', 'cc-call': 'lib/call.js', 'cc-whiteboard': 'lib/whiteboard.js' };

export default {
  // The public elements and their base class; the panes inside cc-chat are internal.
  globs: ['src/elements/base.ts', 'src/elements/cc-chat/cc-chat.ts', 'src/elements/cc-call/cc-call.ts', 'src/elements/cc-whiteboard/cc-whiteboard.ts'],
  outdir: '.',
  litelement: true,
  plugins: [{
    name: 'cc-package-paths',
    packageLinkPhase({ customElementsManifest: m }) {
      for (const mod of m.modules) {
        for (const d of mod.declarations ?? []) {
          // base.ts dispatches through `emit(type, …)`; the real names come from each class's @fires.
          if (d.events) d.events = d.events.filter((e) => e.name?.startsWith('cc-'));
          if (d.tagName && ENTRY[d.tagName]) {
            m.modules.push({
              kind: 'javascript-module', path: ENTRY[d.tagName], declarations: [],
              exports: [{ kind: 'custom-element-definition', name: d.tagName, declaration: { name: d.name, module: toLib(mod.path) } }],
            });
          }
        }
      }
      // Point at what the package ships (lib/*.js), not at the TypeScript sources.
      const json = JSON.stringify(m).replace(/"src\/([^"]+)\.ts"/g, (_, p) => JSON.stringify(`lib/${p}.js`));
      Object.assign(m, JSON.parse(json));
    },
  }],
};

const toLib = (p) => p.replace(/^src\/(.+)\.ts$/, 'lib/$1.js');

// Vite plugins of the framework demos, shared by their build (vite.config.ts here) and the dev server
// (the root vite.config.ts, for `npm start`).
//
// ccPackage lets the demos `import 'cc'` / `import 'cc/chat'` as an app that installed the package would.
// `package`: through package.json's exports (lib/, built by `npm run build`), so the demo build also
// proves the published entry points work in a bundler. `src`: the sources, for the dev server.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import vue from '@vitejs/plugin-vue';
import type { PluginOption, Plugin } from 'vite';

const root = resolve(import.meta.dirname, '../..');
const SRC: Record<string, string> = { '.': 'src/cc.ts', './chat': 'src/chat.ts', './call': 'src/call.ts', './whiteboard': 'src/whiteboard.ts', './core': 'src/headless.ts' };

export function ccPackage(from: 'package' | 'src'): Plugin {
  const pkg = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as { exports: Record<string, string | { default: string }> };
  return {
    name: 'cc-package',
    enforce: 'pre',
    resolveId(id) {
      if (id !== 'cc' && !id.startsWith('cc/')) return null;
      const sub = id === 'cc' ? '.' : `./${id.slice(3)}`;
      const target = from === 'src' ? SRC[sub] : pkg.exports[sub];
      if (!target) return null;
      return resolve(root, typeof target === 'string' ? target : target.default);
    },
  };
}

/** Vue and Svelte compile their own files; React (JSX) and Angular (JIT, decorators) need nothing. */
export const frameworkPlugins = (): PluginOption[] => [
  vue({ template: { compilerOptions: { isCustomElement: (tag) => tag.startsWith('cc-') } } }),
  svelte({ configFile: false }),
];

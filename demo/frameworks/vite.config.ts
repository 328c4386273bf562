// Builds every framework demo in one Vite run: `vite build -c demo/frameworks/vite.config.ts`
// → demo/frameworks/dist/<framework>/. They import the package as an app would (`import 'cc'`).
import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import { ccPackage, frameworkPlugins } from './plugins.js';

export const FRAMEWORKS = ['react', 'vue', 'svelte', 'angular'] as const;

export default defineConfig({
  root: import.meta.dirname,
  base: './',
  logLevel: 'warn',
  plugins: [ccPackage('package'), ...frameworkPlugins()],
  build: {
    target: 'es2022',
    outDir: 'dist',
    emptyOutDir: true,
    reportCompressedSize: false,
    rollupOptions: { input: Object.fromEntries(FRAMEWORKS.map((f) => [f, resolve(import.meta.dirname, f, 'index.html')])) },
  },
});

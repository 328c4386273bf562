import { resolve } from 'node:path';
import { defineConfig } from 'vite';

export default defineConfig({
  define: { 'process.env.NODE_ENV': JSON.stringify(process.env.NODE_ENV ?? 'production') },
  resolve: {
    // @xmpp/resolve 0.14.0's browser map misses its DNS module; SRV lookup is never used in browsers.
    alias: { 'node:dns': resolve('src/shims/empty.ts') },
  },
  server: { host: '127.0.0.1', port: 5173 },
  build: {
    target: 'es2022',
    sourcemap: true,
    // An app-style build (not lib mode) so the ES output is fully minified.
    copyPublicDir: false,
    modulePreload: false,
    rollupOptions: {
      input: { cc: resolve('src/cc.ts') },
      preserveEntrySignatures: 'strict',
      output: { entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js' },
    },
  },
});

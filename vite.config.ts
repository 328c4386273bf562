import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';
import { build as esbuild } from 'esbuild';
import { defineConfig, type Plugin } from 'vite';
import { injectManifest } from 'workbox-build';
import { ccPackage, frameworkPlugins } from './demo/frameworks/plugins.js';
import { minifyCssLiterals } from './server/css-literals.mjs';
import { referencePlugin } from './server/docs.mjs';
import { catalogToTable, layout } from './server/i18n-build.mjs';
import { sourceKeys } from './server/i18n-keys.mjs';

/**
 * dist/cc-sw.js: src/sw/cc-sw.ts bundled as a classic script (so sites can importScripts it), with
 * workbox's precache manifest of the widget's own files injected.
 */
function serviceWorker(): Plugin {
  return {
    name: 'cc-service-worker',
    apply: 'build',
    async closeBundle() {
      const tmp = mkdtempSync(join(tmpdir(), 'cc-sw-'));
      try {
        await esbuild({
          entryPoints: ['src/sw/cc-sw.ts'], bundle: true, format: 'iife', target: 'es2022', minify: true,
          outfile: join(tmp, 'cc-sw.js'), legalComments: 'none', logLevel: 'warning',
          define: { 'process.env.NODE_ENV': '"production"' },
        });
        const { count, warnings } = await injectManifest({
          swSrc: join(tmp, 'cc-sw.js'), swDest: 'dist/cc-sw.js', globDirectory: 'dist',
          globPatterns: ['cc.js', 'chunks/*.js'],
          // Chunk names carry a content hash already; cc.js gets a revision.
          dontCacheBustURLsMatching: /-[\w-]{8}\.js$/,
        });
        for (const w of warnings) console.warn(`cc-sw: ${w}`);
        console.log(`dist/cc-sw.js: precaches ${count} files`);
      } finally {
        rmSync(tmp, { recursive: true, force: true });
      }
    },
  };
}

/**
 * Vite wraps each dynamic import() in a helper that preloads the imported chunk's CSS and static
 * imports. With modulePreload off and no CSS files every list it gets is empty, so all the helper
 * still does is fire Vite's `vite:preloadError` on the host page's window when a chunk fails to
 * load (which an embedded widget should not); the plain import() rejects the same way.
 */
function plainDynamicImports(): Plugin {
  const helper = '\0vite/preload-helper.js';
  return {
    name: 'cc-plain-dynamic-imports',
    apply: 'build',
    enforce: 'pre',
    resolveId: (id) => (id === helper ? id : undefined),
    load: (id) => (id === helper ? 'export const __vitePreload = (load) => load();' : undefined),
  };
}

/** The widget's css`…` styles without their indentation and comments (server/css-literals.mjs). */
function compactStyles(): Plugin {
  return {
    name: 'cc-compact-styles',
    apply: 'build',
    enforce: 'pre',
    transform: {
      filter: { id: /[\\/]src[\\/].*\.ts$/, code: 'css`' },
      handler(code, id) {
        const s = minifyCssLiterals(code);
        return s && { code: s.toString(), map: s.generateMap({ source: id, hires: true }) };
      },
    },
  };
}

/**
 * Catalogs shipped without their English keys (server/i18n-build.mjs): each a hash table of its
 * translations, which t() finds by hashing its English text.
 */
function keylessCatalogs(): Plugin {
  let table = { size: 0, slots: new Map<string, number>() };
  return {
    name: 'cc-keyless-catalogs',
    apply: 'build',
    enforce: 'pre',
    buildStart() {
      table = layout(sourceKeys().keys);
    },
    transform: {
      filter: { id: /[\\/]src[\\/]locales[\\/][^\\/]+\.ts$/ },
      handler(code, id) {
        const file = relative(process.cwd(), id).split(sep).join('/');
        const { code: s, missing, extra } = catalogToTable(code, table, file);
        if (missing.length) this.warn(`${file}: ${missing.length} strings untranslated (shown in English): ${missing.map((k) => JSON.stringify(k)).join(', ')}`);
        if (extra.length) this.warn(`${file}: left out ${extra.length} strings the source does not use`);
        return { code: s.toString(), map: s.generateMap({ source: id, hires: true }) };
      },
    },
  };
}

/** lib0's environment module, also where lib0 imports it by relative path. */
function lib0Environment(): Plugin {
  const shim = resolve('src/shims/lib0-environment.ts');
  return {
    name: 'cc-lib0-environment',
    enforce: 'pre',
    resolveId: (id, importer) =>
      id === 'lib0/environment' || (id === './environment.js' && /[\\/]lib0[\\/]/.test(importer ?? '')) ? shim : undefined,
  };
}

export default defineConfig(({ command }) => ({
  define: { 'process.env.NODE_ENV': JSON.stringify(process.env.NODE_ENV ?? 'production') },
  resolve: {
    // Modules the browser bundle replaces (each shim says why). @xmpp/resolve 0.14.0's browser map
    // misses its DNS module; SRV lookup is never used in browsers.
    alias: {
      'node:dns': resolve('src/shims/empty.ts'),
      // What @xmpp/client's browser map leaves out (TCP, TLS, SCRAM), as an ES module: Vite's
      // stand-in for those is CommonJS and brought the CommonJS interop runtime along.
      ...Object.fromEntries(['tcp', 'tls', 'starttls', 'sasl-scram-sha-1'].map((m) => [`@xmpp/${m}`, resolve('src/shims/empty.ts')])),
      '@xmpp/resolve': resolve('src/shims/xmpp-resolve.ts'),
      '@xmpp/reconnect': resolve('src/shims/xmpp-reconnect.ts'),
      'lib0/logging': resolve('src/shims/lib0-logging.ts'),
      events: resolve('src/shims/events.ts'),
      'ltx/lib': 'ltx/src',
      'koa-compose': resolve('src/shims/koa-compose.ts'),
      saslmechanisms: resolve('src/shims/saslmechanisms.ts'),
      'sasl-plain': resolve('src/shims/sasl-plain.ts'),
      'sasl-anonymous': resolve('src/shims/sasl-anonymous.ts'),
    },
  },
  server: { host: '127.0.0.1', port: 5173 },
  // Pages, not a single-page app: a missing page is a 404, not the index.
  appType: 'mpa',
  // The dev server pre-bundles what the demo pages import (not every HTML file in the repository).
  optimizeDeps: { entries: ['demo/**/*.html', '!demo/frameworks/dist/**'] },
  // Files the widget loads itself (the emoji data) are found next to the chunk that asks, wherever
  // the site serves dist/ from (its own path or a CDN).
  experimental: { renderBuiltUrl: (_file, { hostType }) => (hostType === 'js' ? { relative: true } : undefined) },
  // The dev server (`npm start`) also serves the framework demos from source, and the docs.
  plugins: [lib0Environment(), plainDynamicImports(), compactStyles(), keylessCatalogs(), serviceWorker(), ...(command === 'serve' ? [ccPackage('src'), ...frameworkPlugins(), referencePlugin()] : [])],
  build: {
    target: 'es2022',
    // Maps are built and shipped beside the chunks but not named in them: the comment in every
    // chunk costs each page ~1 KB gzip; DevTools can add a map by hand (or an error tracker uses it).
    sourcemap: 'hidden',
    // An app-style build (not lib mode) so the ES output is fully minified.
    copyPublicDir: false,
    modulePreload: false,
    rollupOptions: {
      input: { cc: resolve('src/cc.ts') },
      preserveEntrySignatures: 'strict',
      output: {
        entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js',
        // Fewer, larger chunks where they always load together (each chunk also costs its own gzip
        // stream): what the first paint needs (lit, the element base, theme, i18n) in one, and the
        // XMPP library with the protocol modules that the session, calls and boards share in another
        // (with file upload, which both the chat panes and boards import).
        advancedChunks: {
          groups: [
            { name: 'common', test: /node_modules[\\/]nanostores[\\/]|src[\\/]core[\\/](archive|upload|protocol[\\/](mam|jmi|message|replies|styling|attachment|upload))\.ts/ },
            { name: 'shell', test: /node_modules[\\/](lit|lit-html|lit-element|@lit[\\/]reactive-element)[\\/]|src[\\/]elements[\\/](base|define|i18n|ui[\\/](theme|avatar))\.ts|src[\\/]core[\\/]config\.ts|preload-helper/ },
          ],
        },
      },
    },
  },
}));

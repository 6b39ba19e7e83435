// Bundles the extension client, the language server, the `kpl` CLI and the index worker with
// esbuild, and copies the two WASM files the C parser needs next to them. Type-checking is
// `npm run typecheck` (esbuild does not check types).
import { build } from 'esbuild';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
const dist = join(root, 'dist');
mkdirSync(dist, { recursive: true });

const entries = [
  { in: 'client/extension.ts', out: 'client' },
  { in: 'server/server.ts', out: 'server' },
  { in: 'server/cli.ts', out: 'kpl' },
  { in: 'server/index/worker.ts', out: 'index-worker' },
].filter((e) => existsSync(join(root, e.in)));

await build({
  absWorkingDir: root,
  entryPoints: entries,
  outdir: dist,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: true,
  external: ['vscode'],
  // web-tree-sitter's ESM build reads import.meta.url (empty in a CommonJS bundle) to find its
  // WASM and to create a require(): give it this bundle's own file URL.
  define: { 'import.meta.url': '__kplImportMetaUrl' },
  banner: { js: "var __kplImportMetaUrl = require('url').pathToFileURL(__filename).href;" },
  logLevel: 'warning',
  minify: process.argv.includes('--minify'),
});

for (const wasm of ['web-tree-sitter/web-tree-sitter.wasm', 'tree-sitter-c/tree-sitter-c.wasm']) {
  const from = require.resolve(wasm.startsWith('web-') ? wasm : `tree-sitter-c/package.json`);
  const src = wasm.startsWith('web-') ? from : join(dirname(from), 'tree-sitter-c.wasm');
  copyFileSync(src, join(dist, wasm.split('/')[1]));
}

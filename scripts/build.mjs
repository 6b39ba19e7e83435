// Bundles the extension client, the language server, the `kpl` CLI and the index worker with
// esbuild, and copies the two WASM files the C parser needs next to them. Type-checking is
// `npm run typecheck` (esbuild does not check types).
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
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

// The index cache's fingerprint of the extraction code (server/index/cache-file.ts computes the
// same from sources; the bundles carry it so that they share caches with runs from sources).
function indexFingerprint() {
  const dir = join(root, 'server', 'index');
  const cacheFile = readFileSync(join(dir, 'cache-file.ts'), 'utf8');
  const format = /FORMAT_VERSION = (\d+)/.exec(cacheFile)?.[1];
  const infra = /const INFRASTRUCTURE = new Set\(\[([^\]]*)\]\)/.exec(cacheFile)?.[1];
  if (!format || infra === undefined) throw new Error('build: cannot read FORMAT_VERSION/INFRASTRUCTURE from server/index/cache-file.ts');
  const skip = new Set([...infra.matchAll(/'([^']+)'/g)].map((m) => m[1]));
  const h = createHash('sha1').update(`format ${format}\n`);
  for (const name of readdirSync(dir).sort()) {
    if (name.endsWith('.ts') && !name.endsWith('.test.ts') && !skip.has(name)) h.update(name).update(readFileSync(join(dir, name)));
  }
  return h.digest('hex').slice(0, 16);
}

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
  define: { 'import.meta.url': '__kplImportMetaUrl', __KPL_INDEX_FINGERPRINT__: JSON.stringify(indexFingerprint()) },
  banner: { js: "var __kplImportMetaUrl = require('url').pathToFileURL(__filename).href;" },
  logLevel: 'warning',
  minify: process.argv.includes('--minify'),
});

for (const wasm of ['web-tree-sitter/web-tree-sitter.wasm', 'tree-sitter-c/tree-sitter-c.wasm']) {
  const from = require.resolve(wasm.startsWith('web-') ? wasm : `tree-sitter-c/package.json`);
  const src = wasm.startsWith('web-') ? from : join(dirname(from), 'tree-sitter-c.wasm');
  copyFileSync(src, join(dist, wasm.split('/')[1]));
}

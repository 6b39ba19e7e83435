// Benchmark (run on demand, never a test): how long after opening a patch in the editor its
// diagnostics and code lenses arrive, on an indexed tree, through the built language server over
// stdio (the real LSP path). Target: < 200 ms. The tree is indexed first through the server's
// own kpl/indexTree request, then the patch is opened N times under new URIs.
//
//   npm run build && node --import tsx bench/lsp-open.bench.ts [--workspace examples] [--tree DIR]
//        [--patch examples/patches/vfs-dio-eio-ebusy.patch] [--runs 7] [--cache DIR]
import { mkdtempSync, readFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { IndexTreeRequest } from '../server/protocol';
import { openDocument, root, startServer, uriOf } from '../test/lsp/lspClient';

const args = process.argv.slice(2);
const flag = (name: string, fallback: string) => { const i = args.indexOf(`--${name}`); return i < 0 ? fallback : args[i + 1]; };
const workspace = resolve(flag('workspace', join(root, 'examples')));
const tree = flag('tree', '');
const patch = resolve(flag('patch', join(root, 'examples', 'patches', 'vfs-dio-eio-ebusy.patch')));
const runs = Number(flag('runs', '7'));
const cacheDir = flag('cache', mkdtempSync(join(tmpdir(), 'kpl-bench-lsp-')));

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (x: number) => `${x.toFixed(1)} ms`;

async function main(): Promise<void> {
  console.log(`load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}; workspace ${workspace}${tree ? `; tree ${tree}` : ''}`);
  const s = await startServer({ workspaceFolders: [workspace], cacheDir, settings: tree ? { kernelPatchLens: { tree } } : {} });
  try {
    const t0 = performance.now();
    const indexed = await s.connection.sendRequest(IndexTreeRequest, {});
    console.log(`index (kpl/indexTree): ${indexed.files} files in ${ms(performance.now() - t0)}`);
    const text = readFileSync(patch, 'utf8');
    const diagnostics: number[] = [];
    const lenses: number[] = [];
    for (let run = 0; run < runs; run++) {
      const uri = uriOf(join(tmpdir(), `kpl-bench-${run}.patch`));
      const start = performance.now();
      const published = await openDocument(s, uri, text);
      diagnostics.push(performance.now() - start);
      const found = await s.connection.sendRequest('textDocument/codeLens', { textDocument: { uri } }) as unknown[];
      lenses.push(performance.now() - start);
      if (run === 0) console.log(`first open: ${published.diagnostics.length} diagnostics, ${found.length} code lenses`);
      await s.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
    }
    console.log(`open -> diagnostics: median ${ms(median(diagnostics))}, min ${ms(Math.min(...diagnostics))}, first ${ms(diagnostics[0])}`);
    console.log(`open -> code lenses: median ${ms(median(lenses))}, min ${ms(Math.min(...lenses))}, first ${ms(lenses[0])}`);
    console.log(`target 200 ms: median is ${(median(lenses) / 200).toFixed(2)}x the target`);
  } finally {
    await s.close();
  }
}

main().catch((e) => { console.error(e); process.exitCode = 1; });

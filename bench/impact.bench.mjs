// Benchmark (run on demand, never a test): time from patch text to the full `kpl review` JSON on
// an indexed tree, for one patch and for a 50-patch series. Targets: < 200 ms and < 2 s.
// Each run is what `kpl review --format json` does in-process: read the patch, map the changes,
// compute the impacts, render the JSON; timed twice: with the index loaded once and held (as the
// language server holds it; the targets are for this), and opening it from the cache per run.
//
//   node --import tsx bench/impact.bench.mjs [--tree examples/tree] [--patch FILE] [--series 50]
//        [--runs 5] [--cache DIR] [--depth 4]
//
// The tree is indexed first (through the cache), so the figures are for an indexed tree. The
// series is generated from the tree's own errno lines (see errno-series.mjs).
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';

const args = process.argv.slice(2);
const flag = (name, fallback) => { const i = args.indexOf(`--${name}`); return i < 0 ? fallback : args[i + 1]; };
const root = resolve(flag('tree', 'examples/tree'));
const patchFile = resolve(flag('patch', 'examples/patches/vfs-dio-eio-ebusy.patch'));
const seriesLength = Number(flag('series', '50'));
const runs = Number(flag('runs', '5'));
const depth = Number(flag('depth', '4'));
const cacheDir = flag('cache', mkdtempSync(join(tmpdir(), 'kpl-bench-impact-')));

const { review } = await import('../server/review.ts');
const { renderJson } = await import('../server/report/json.ts');
const { indexTree, openCallGraph } = await import('../server/index/project.ts');
const { errnoSeries } = await import('./errno-series.mjs');

async function time(label, input, target, graph) {
  const ms = [];
  let out = '';
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    const rv = await review({ input, tree: root, depth, cacheDir, graph });
    out = renderJson(rv);
    ms.push(performance.now() - t0);
  }
  const json = JSON.parse(out);
  const callers = json.impacts.reduce((n, i) => n + i.callers.length, 0);
  ms.sort((a, b) => a - b);
  const median = ms[Math.floor(ms.length / 2)];
  console.log(`${label}: patches ${json.patches.length}, changes ${json.changes.length}, impacts ${json.impacts.length}, callers ${callers}`);
  console.log(`  min ${ms[0].toFixed(1)} .. median ${median.toFixed(1)} ms .. max ${ms[ms.length - 1].toFixed(1)} ms over ${runs} runs (target < ${target} ms): ${median < target ? 'OK' : 'OVER'}`);
  if (callers === 0) console.log(`  note: no callers in the JSON: ${json.warnings.map((w) => w.message).join(' | ')}`);
}

const t0 = performance.now();
const { graph, summary } = await indexTree(root, { cacheDir });
graph.save(); // a complete cache: review() then answers from memory, as after `kpl index`
await graph.close();
console.log(`tree ${root}: ${summary.files} files indexed in ${((performance.now() - t0) / 1000).toFixed(2)} s (cache ${cacheDir})`);
const text = readFileSync(patchFile, 'utf8');
const series = errnoSeries(root, seriesLength);
// The index loaded once and held, as the language server holds it: patch text to JSON only
// (the targets are for this).
const t1 = performance.now();
const held = await openCallGraph(root, { cacheDir, refreshCompleteCache: true });
console.log(`index loaded in ${(performance.now() - t1).toFixed(0)} ms (complete: ${held.complete}); held for the next two figures`);
await time(`one patch (${patchFile.split('/').pop()}), index held`, Buffer.from(text), 200, held);
await time(`series of ${seriesLength}, index held`, series, 2000, held);
await held.close();
// As `kpl review` runs: each review loads the index from the cache first.
await time(`one patch (${patchFile.split('/').pop()}), index loaded per run`, Buffer.from(text), 200);
await time(`series of ${seriesLength}, index loaded per run`, series, 2000);

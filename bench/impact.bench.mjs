// Benchmark (run on demand, never a test): time from patch text to the full `kpl review` JSON on
// an indexed tree, for one patch and for a 50-patch series. Targets: < 200 ms and < 2 s.
// Each run is what `kpl review --format json` does in-process: read the patch, map the changes,
// compute the impacts, render the JSON. Timed with the index loaded once and held (as the language
// server holds it; the targets are for this): the first review in a fresh process, the first
// review after the server's warm-up (server/warmup.ts), repeats that keep nothing else, and
// repeats with the server's ReviewSession; then as the CLI runs, opening the index per run.
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
const { ReviewSession } = await import('../server/session.ts');
const { warmUp } = await import('../server/warmup.ts');

const median = (ms) => [...ms].sort((a, b) => a - b)[Math.floor(ms.length / 2)];
const range = (ms) => `min ${Math.min(...ms).toFixed(1)} .. median ${median(ms).toFixed(1)} .. max ${Math.max(...ms).toFixed(1)} ms over ${ms.length} runs`;
const verdict = (ms, target) => `(target < ${target} ms): ${median(ms) < target ? 'OK' : 'OVER'}`;

/** `runs` reviews of `input`; each JSON must equal the first (a kept answer must never change one). */
async function reviews(input, graph, session) {
  const ms = [];
  let first;
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    const out = renderJson(await review({ input, tree: root, depth, cacheDir, graph, session }));
    ms.push(performance.now() - t0);
    first ??= out;
    if (out !== first) throw new Error(`review ${r + 1} of the same input gave another JSON than the first`);
  }
  return { ms, json: JSON.parse(first), text: first };
}

function describe(label, json) {
  const callers = json.impacts.reduce((n, i) => n + i.callers.length, 0);
  console.log(`${label}: patches ${json.patches.length}, changes ${json.changes.length}, impacts ${json.impacts.length}, callers ${callers}`);
  if (callers === 0) console.log(`  note: no callers in the JSON: ${json.warnings.map((w) => w.message).join(' | ')}`);
}

/**
 * The language server's case: the index loaded once and held (and warmed, as the server does
 * when idle), patch text to JSON. Three figures: the first review (nothing kept yet but the
 * index), repeats without a session (each review reads and parses afresh), and repeats with the
 * session the server keeps per tree (texts and parses reused where files did not change).
 */
async function held(label, input, target) {
  const t0 = performance.now();
  const graph = await openCallGraph(root, { cacheDir, refreshCompleteCache: true });
  await graph.warm();
  console.log(`${label}: index loaded and warmed in ${(performance.now() - t0).toFixed(0)} ms (complete: ${graph.complete})`);
  const session = new ReviewSession();
  const t1 = performance.now();
  const firstJson = renderJson(await review({ input, tree: root, depth, cacheDir, graph, session }));
  const first = performance.now() - t1;
  const fresh = await reviews(input, graph);
  const kept = await reviews(input, graph, session);
  if (fresh.text !== firstJson || kept.text !== firstJson) throw new Error('a review with kept answers gave another JSON than the first');
  session.dispose();
  await graph.close();
  // As the language server runs: a newly loaded index, warmed, then its warm-up review of a
  // change of its own (server/warmup.ts) in the background time after loading; then this input.
  const warmGraph = await openCallGraph(root, { cacheDir, refreshCompleteCache: true });
  await warmGraph.warm();
  const t3 = performance.now();
  const warmed = await warmUp(root, warmGraph);
  const warmUpMs = performance.now() - t3;
  const t2 = performance.now();
  const afterWarmUp = renderJson(await review({ input, tree: root, depth, cacheDir, graph: warmGraph, session: new ReviewSession() }));
  const second = performance.now() - t2;
  await warmGraph.close();
  if (afterWarmUp !== firstJson) throw new Error('the review after the warm-up gave another JSON');
  describe(label, kept.json);
  console.log(`  first review, index held:                 ${first.toFixed(1)} ms ${first < target ? 'OK' : 'OVER'} (target < ${target} ms)`);
  console.log(`  first review after the server's warm-up:  ${second.toFixed(1)} ms ${second < target ? 'OK' : 'OVER'} (target < ${target} ms; the warm-up ${warmed ? `took ${warmUpMs.toFixed(0)} ms, in the background` : 'found nothing to review'})`);
  console.log(`  again, index held, nothing else kept:     ${range(fresh.ms)} ${verdict(fresh.ms, target)}`);
  console.log(`  again, index held, the server's session:  ${range(kept.ms)} ${verdict(kept.ms, target)}`);
}

const t0 = performance.now();
const { graph, summary } = await indexTree(root, { cacheDir });
graph.save(); // a complete cache: review() then answers from memory, as after `kpl index`
await graph.close();
console.log(`tree ${root}: ${summary.files} files indexed in ${((performance.now() - t0) / 1000).toFixed(2)} s (cache ${cacheDir})`);
const text = readFileSync(patchFile, 'utf8');
const series = errnoSeries(root, seriesLength);
await held(`one patch (${patchFile.split('/').pop()})`, Buffer.from(text), 200);
await held(`series of ${seriesLength}`, series, 2000);
// As `kpl review` runs: each review loads the index from the cache first.
for (const [label, input, target] of [[`one patch (${patchFile.split('/').pop()})`, Buffer.from(text), 200], [`series of ${seriesLength}`, series, 2000]]) {
  const { ms, json } = await reviews(input);
  describe(`${label}, index loaded per run (the CLI)`, json);
  console.log(`  ${range(ms)} ${verdict(ms, target)}`);
}

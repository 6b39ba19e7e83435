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
// series is generated from the tree's own errno lines (see errnoSeries).
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
const { listSourceFiles } = await import('../server/index/walk.ts');

/**
 * A series of n real-looking patches over the tree: each changes one errno line
 * (`return -EIO;` -> `return -EBUSY;`, anything else -> -EIO), cycling over the tree's errno
 * lines, each diff made against the text the previous patches left, so all apply in order.
 */
function errnoSeries(n) {
  const sites = [];
  const text = new Map();
  for (const f of listSourceFiles(root).filter((f) => f.endsWith('.c')).sort()) {
    const lines = readFileSync(join(root, f), 'latin1').split('\n');
    lines.forEach((l, i) => { if (/^\s*(return|[a-z_]+ =) -E[A-Z0-9]+;\s*$/.test(l)) sites.push({ f, i }); });
    text.set(f, lines);
  }
  if (sites.length === 0) throw new Error(`no errno lines in ${root}`);
  const step = Math.max(1, Math.floor(sites.length / n));
  const parts = [];
  for (let k = 0; k < n; k++) {
    const { f, i } = sites[(k * step) % sites.length];
    const lines = text.get(f);
    const code = /-E[A-Z0-9]+/.exec(lines[i])[0];
    const changed = lines[i].replace(code, code === '-EIO' ? '-EBUSY' : '-EIO');
    const from = Math.max(0, i - 3), to = Math.min(lines.length, i + 4);
    const body = [];
    for (let j = from; j < to; j++) body.push(j === i ? `-${lines[i]}\n+${changed}` : ` ${lines[j]}`);
    lines[i] = changed;
    parts.push([
      `From ${String(k + 1).padStart(40, '0')} Mon Sep 17 00:00:00 2001`,
      'From: Bench <bench@example.org>',
      `Subject: [PATCH ${k + 1}/${n}] ${f}: ${code} -> ${changed.trim()}`,
      '',
      `Patch ${k + 1} of a generated series.`,
      '---',
      `diff --git a/${f} b/${f}`, `--- a/${f}`, `+++ b/${f}`,
      `@@ -${from + 1},${to - from} +${from + 1},${to - from} @@`,
      ...body,
      '',
    ].join('\n'));
  }
  return Buffer.from(parts.join('\n'));
}

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
const series = errnoSeries(seriesLength);
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

// Benchmark (run on demand, never a test): time from patch text to the full `kpl review` JSON on
// an indexed tree, for one patch and for a 50-patch series. Targets: < 200 ms and < 2 s.
//
//   node --import tsx bench/impact.bench.mjs [--tree examples/tree] [--patch FILE] [--series 50]
//        [--runs 5] [--cache DIR] [--depth 4]
//
// The tree is indexed first (through the cache), so the figures are for an indexed tree. The
// series alternates the patch and its reverse so that every patch applies on top of the last.
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
const { indexTree } = await import('../server/index/project.ts');

/** The same diff with old and new swapped: `-` ↔ `+` lines and the hunk ranges. */
function reverseDiff(text) {
  return text.split('\n').map((l) => {
    const h = /^@@ -(\S+) \+(\S+) @@(.*)$/.exec(l);
    if (h) return `@@ -${h[2]} +${h[1]} @@${h[3]}`;
    if (l.startsWith('--- ') || l.startsWith('+++ ')) return l;
    if (l.startsWith('-')) return `+${l.slice(1)}`;
    if (l.startsWith('+')) return `-${l.slice(1)}`;
    return l;
  }).join('\n');
}

/** A git format-patch style mbox of n patches: the patch, its reverse, the patch, ... */
function series(text, n) {
  const diff = text.slice(text.search(/^diff --git /m));
  const back = reverseDiff(diff);
  const parts = [];
  for (let k = 0; k < n; k++) {
    parts.push([
      `From ${String(k + 1).padStart(40, '0')} Mon Sep 17 00:00:00 2001`,
      'From: Bench <bench@example.org>',
      `Subject: [PATCH ${k + 1}/${n}] bench patch ${k + 1}`,
      '',
      `Patch ${k + 1} of a generated series.`,
      '---',
      k % 2 === 0 ? diff : back,
      '',
    ].join('\n'));
  }
  return Buffer.from(parts.join('\n'));
}

async function time(label, input, target) {
  const ms = [];
  let out = '';
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    const rv = await review({ input, tree: root, depth, cacheDir });
    out = renderJson(rv);
    ms.push(performance.now() - t0);
  }
  const json = JSON.parse(out);
  const callers = json.impacts.reduce((n, i) => n + i.callers.length, 0);
  ms.sort((a, b) => a - b);
  const median = ms[Math.floor(ms.length / 2)];
  console.log(`${label}: patches ${json.patches.length}, changes ${json.changes.length}, impacts ${json.impacts.length}, callers ${callers}`);
  console.log(`  first ${ms.length ? ms[0].toFixed(1) : '?'} .. median ${median.toFixed(1)} ms .. max ${ms[ms.length - 1].toFixed(1)} ms over ${runs} runs (target < ${target} ms): ${median < target ? 'OK' : 'OVER'}`);
  if (callers === 0) console.log(`  note: no callers in the JSON: ${json.warnings.map((w) => w.message).join(' | ')}`);
}

const t0 = performance.now();
const { graph, summary } = await indexTree(root, { cacheDir });
await graph.close?.();
console.log(`tree ${root}: ${summary.files} files indexed in ${((performance.now() - t0) / 1000).toFixed(2)} s (cache ${cacheDir})`);
const text = readFileSync(patchFile, 'utf8');
await time(`one patch (${patchFile.split('/').pop()})`, Buffer.from(text), 200);
await time(`series of ${seriesLength}`, series(text, seriesLength), 2000);

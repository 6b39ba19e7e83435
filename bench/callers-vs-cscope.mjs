#!/usr/bin/env node
// Benchmark (run on demand, not a test): `kpl callers` against `cscope -d -L -3` on a real tree.
// Samples functions defined in the tree (seeded, so a run can be repeated), asks both tools for
// their call sites, compares them by (file, line) and prints recall, precision and every class
// of difference with examples. cscope is textual, so the classes say which side is wrong.
//
//   node bench/callers-vs-cscope.mjs --tree /work/kernel/linux --cscope /work/kernel/cscope \
//        [--sample 200] [--seed 1] [--cache DIR] [--no-index] [--no-kpl] [--jobs 1] \
//        [--examples 4] [--out FILE.json] [--only NAME,NAME] [--from FILE.json]
//
// --from takes the sample and kpl's answers from an earlier run's details (so the classes can
// be recomputed without asking kpl again); cscope is asked again (it answers in milliseconds).
//
// The cscope database is reused when --cscope already holds one, else built there (outside
// the tree). Details (every site, every difference) go to --out, outside the repository:
// they quote kernel source lines.

import { execFile, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve, relative, isAbsolute } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureDatabase, readDefinitions, cscopeCallers } from './callers-vs-cscope.cscope.mjs';
import { compareFunction, summarise, CLASSES } from './callers-vs-cscope.compare.mjs';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function options(argv) {
  const o = { tree: '/work/kernel/linux', cscope: '/work/kernel/cscope', sample: 200, seed: 1, cache: join(tmpdir(), 'kpl-callers-vs-cscope-cache'),
    index: true, kpl: true, jobs: 1, examples: 4, out: join(tmpdir(), 'callers-vs-cscope.json'), only: null, timeout: 300 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => { const v = argv[++i]; if (v === undefined) throw new Error(`${a} needs a value`); return v; };
    if (a === '--tree') o.tree = resolve(val());
    else if (a === '--cscope') o.cscope = resolve(val());
    else if (a === '--sample') o.sample = Number(val());
    else if (a === '--seed') o.seed = Number(val());
    else if (a === '--cache') o.cache = resolve(val());
    else if (a === '--jobs') o.jobs = Math.max(1, Number(val()));
    else if (a === '--examples') o.examples = Number(val());
    else if (a === '--out') o.out = resolve(val());
    else if (a === '--only') o.only = val().split(',').filter(Boolean);
    else if (a === '--timeout') o.timeout = Number(val());
    else if (a === '--no-index') o.index = false;
    else if (a === '--no-kpl') o.kpl = false;
    else if (a === '--from') o.from = resolve(val());
    else throw new Error(`unknown option ${a}`);
  }
  return o;
}

/** mulberry32: a small seeded generator, so that the sample is the same on every run. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function sampleNames(names, n, seed) {
  const pool = [...names].sort();
  const rand = rng(seed);
  for (let i = 0; i < Math.min(n, pool.length); i++) {
    const j = i + Math.floor(rand() * (pool.length - i));
    [pool[i], pool[j]] = [pool[j], pool[i]];
  }
  return pool.slice(0, n);
}

function runKpl(args, timeoutSec) {
  const started = process.hrtime.bigint();
  return new Promise((done) => {
    execFile(process.execPath, [join(repo, 'bin/kpl.js'), ...args], { cwd: repo, maxBuffer: 256 << 20, timeout: timeoutSec * 1000 }, (err, stdout, stderr) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      done({ code: err ? (err.code ?? 1) : 0, stdout, stderr, seconds, killed: !!err?.killed });
    });
  });
}

async function kplCallers(o, name) {
  const r = await runKpl(['callers', name, '--tree', o.tree, '--format', 'json', '--cache', o.cache], o.timeout);
  if (r.code !== 0) return { error: (r.killed ? 'timeout ' : '') + (r.stderr.trim().split('\n')[0] || `exit ${r.code}`), seconds: r.seconds };
  try {
    const rows = JSON.parse(r.stdout);
    if (!Array.isArray(rows)) return { error: 'JSON is not an array', seconds: r.seconds };
    for (const row of rows) if (isAbsolute(row.file)) row.file = relative(o.tree, row.file);
    return { rows, seconds: r.seconds };
  } catch (e) {
    return { error: `bad JSON: ${e.message}`, seconds: r.seconds };
  }
}

async function pool(items, jobs, work) {
  const out = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: jobs }, async () => {
    while (next < items.length) { const i = next++; out[i] = await work(items[i], i); }
  }));
  return out;
}

const pct = (x) => (Number.isFinite(x) ? `${(100 * x).toFixed(1)}%` : 'n/a');
const clip = (s, n = 110) => (s.length > n ? `${s.slice(0, n - 1)}…` : s).replace(/\s+/g, ' ').trim();

function printClasses(summary, examples) {
  const order = Object.keys(CLASSES);
  const classes = [...summary.byClass.keys()].sort((a, b) => order.indexOf(a) - order.indexOf(b));
  for (const cls of classes) {
    const list = summary.byClass.get(cls);
    console.log(`\n  ${cls}: ${list.length} — ${CLASSES[cls] ?? '?'}`);
    // Examples from different functions first: one function can fill a class on its own.
    const seen = new Set();
    const picked = [...list.filter((d) => !seen.has(d.function) && seen.add(d.function)), ...list].slice(0, examples);
    for (const d of [...new Set(picked)]) {
      const callers = cls === 'caller-differs' ? ` cscope:${d.cscope} kpl:${d.kpl} (${d.wrong})` : ` in ${d.cscope ?? d.kpl}`;
      const line = d.kplLine ? `${d.line}/kpl ${d.kplLine}` : d.line;
      console.log(`    ${d.function} @ ${d.file}:${line}${callers}${d.text ? `  | ${clip(d.text)}` : ''}`);
    }
  }
}

async function main() {
  const o = options(process.argv.slice(2));
  const started = Date.now();
  const build = ensureDatabase(o.tree, o.cscope);
  if (build.built) console.log(`cscope -b -q -k: built in ${build.wallSeconds} s, peak RSS ${(build.peakRssKB / 1024).toFixed(0)} MiB`);
  const { functions, macros } = readDefinitions(o.cscope, o.tree);
  // Names that are also #define'd are left out: their cscope "callers" mix macro uses and calls.
  const population = [...functions.keys()].filter((n) => /^[A-Za-z_]\w*$/.test(n) && !macros.has(n));
  const before = o.from ? JSON.parse(readFileSync(o.from, 'utf8')) : null;
  const earlier = before ? new Map(before.results.map((r) => [r.name, r])) : null;
  if (before) o.seed = before.options.seed;
  const names = earlier ? [...earlier.keys()] : o.only ?? sampleNames(population, o.sample, o.seed);
  console.log(`tree ${o.tree}: ${functions.size} function names defined (cscope $ marks), ${population.length} after leaving out #define'd names; sample ${names.length} (seed ${o.seed})${o.from ? `, kpl's answers from ${o.from}` : ''}`);

  if (o.kpl && o.index && !earlier) {
    mkdirSync(o.cache, { recursive: true });
    const r = await runKpl(['index', o.tree, '--cache', o.cache], 3600);
    console.log(r.code === 0 ? `kpl index: ${r.seconds.toFixed(1)} s (cache ${o.cache})` : `kpl index failed (${r.stderr.trim().split('\n').pop()}); callers will run cold`);
  }

  let failures = 0;
  const kplSeconds = [];
  const results = await pool(names, o.jobs, async (name, i) => {
    const cs = cscopeCallers(o.cscope, o.tree, name);
    let rows = [];
    let error = null;
    let seconds = null;
    if (o.kpl) {
      const k = earlier ? { rows: earlier.get(name).kplRows, error: earlier.get(name).error, seconds: earlier.get(name).kplSeconds } : await kplCallers(o, name);
      kplSeconds.push(k.seconds); seconds = k.seconds;
      if (k.error) { error = k.error; failures++; } else rows = k.rows;
      if (process.stderr.isTTY) process.stderr.write(`\r${i + 1}/${names.length} ${name.padEnd(40)}`);
      else if ((i + 1) % 10 === 0) process.stderr.write(`${i + 1}/${names.length} functions\n`);
    }
    return { ...compareFunction(o.tree, name, cs, rows, macros, functions.get(name) ?? []), error, definedIn: functions.get(name) ?? [], cscopeSites: cs, kplRows: rows, kplSeconds: seconds };
  });
  if (process.stderr.isTTY) process.stderr.write('\n');

  const ok = results.filter((r) => !r.error);
  const s = summarise(o.kpl ? ok : results);
  const withCallers = results.filter((r) => r.cscope > 0).length;
  console.log(`\nfunctions compared: ${ok.length}/${results.length}${failures ? ` (${failures} kpl failures, e.g. "${results.find((r) => r.error).error}")` : ''}; ${withCallers} have cscope callers; ${results.filter((r) => r.definedIn.length > 1).length} names are defined in more than one file`);
  console.log(`call sites: cscope ${s.cscope}, kpl direct ${s.kplDirect}, kpl through ops fields ${s.kplIndirect} (cscope cannot see those)`);
  // cscope's enclosing-function field names something that is no function for some sites: a
  // macro it took for one, "defined" from `#if defined(...)`, or "unknown".
  const odd = new Map();
  for (const r of results) for (const site of r.cscopeSites) if (!functions.has(site.caller) && site.caller !== '<global>') odd.set(site.caller, (odd.get(site.caller) ?? 0) + 1);
  const oddTotal = [...odd.values()].reduce((a, b) => a + b, 0);
  if (oddTotal) console.log(`cscope names no function as the caller at ${oddTotal} sites: ${[...odd].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([n, c]) => `${n} (${c})`).join(', ')}${odd.size > 8 ? ', ...' : ''}`);
  if (o.kpl) {
    console.log(`matched by (file, line): ${s.matched}`);
    console.log(`recall    (kpl finds cscope's sites):        ${pct(s.recall)}  = ${s.matched}/${s.cscope}`);
    console.log(`precision (kpl's direct sites cscope has):   ${pct(s.precision)}  = ${s.matched}/${s.kplDirect}`);
    console.log(`adjusted, after classifying the differences (cscope false positives ${s.cscopeFalse} out, real calls cscope missed ${s.kplExtraReal} in, ${s.lineDiffers} sites both list differently in):`);
    console.log(`  recall ${pct(s.adjustedRecall)}, precision ${pct(s.adjustedPrecision)}`);
    console.log(`per-function means: recall ${pct(s.meanRecall)} over ${s.meanOver.recall} functions with cscope sites, precision ${pct(s.meanPrecision)} over ${s.meanOver.precision} with kpl sites`);
    const wrapped = (s.byClass.get('kpl-only/macro')?.length ?? 0) + (s.byClass.get('kpl-only/macro-other-arch')?.length ?? 0);
    if (wrapped) console.log(`precision counting only sites that name the function (${wrapped} sites reached through wrapper macros left out): ${pct(s.matched / (s.kplDirect - wrapped))}`);
    const worst = ok.map((r) => ({ name: r.name, diffs: r.diffs.filter((d) => d.cls !== 'caller-differs').length })).filter((r) => r.diffs).sort((a, b) => b.diffs - a.diffs);
    if (worst.length) console.log(`differences by function: ${worst.slice(0, 6).map((r) => `${r.name} ${r.diffs}`).join(', ')}${worst.length > 6 ? `, ... (${worst.length} functions)` : ''}`);
    const sorted = [...kplSeconds].sort((a, b) => a - b);
    if (sorted.length) console.log(`kpl callers per function: median ${sorted[sorted.length >> 1].toFixed(2)} s, max ${sorted[sorted.length - 1].toFixed(2)} s`);
  } else {
    console.log(`(--no-kpl: cscope's sites classified on their own; "call" is a textual call in live code)`);
  }
  console.log('\nclasses of differences (examples: function @ file:line, enclosing function, line text):');
  printClasses(s, o.examples);
  mkdirSync(dirname(o.out), { recursive: true });
  writeFileSync(o.out, JSON.stringify({ options: o, summary: { ...s, byClass: Object.fromEntries(s.byClass) }, results }, null, 1));
  console.log(`\ndetails: ${o.out}; total ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

main().catch((e) => { console.error(`callers-vs-cscope: ${e.message}`); process.exitCode = 1; });

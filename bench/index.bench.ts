// Side-by-side benchmark of the tree index against cscope on the same tree in one run (not a
// test): cold full index vs `cscope -b -q -k` (wall time, peak RSS), first answer on a cold tree
// (`kpl callers` with an empty cache) vs cscope's build + `cscope -d -L -3`, warm reload from the
// cache, one-file reindex. Prints the figures and their ratios against the design's targets.
//
//   npm run bench:index -- --tree /work/kernel/linux [--function NAME] [--file mm/filemap.c,mm/truncate.c] [--sample N] [--skip-cold --cache DIR]
//
// The `kpl` runs use the built bundle (bin/kpl.js; run `npm run build` first); the reload and
// reindex figures are measured in-process, as the language server would see them. Every cache
// and cscope database lives in a temporary folder outside the tree, removed at the end.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { openCallGraph } from '../server/index/project';
import { listSourceFiles } from '../server/index/walk';

interface Run { seconds: number; rssKb: number; code: number | null; out: string; err: string }

const repo = resolve(__dirname, '..');

function arg(name: string, fallback?: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

/** Runs a command under `/usr/bin/time -v`: wall time from our clock, peak RSS from time(1). */
function timed(cmd: string, args: string[], cwd: string): Run {
  const started = performance.now();
  const r = spawnSync('/usr/bin/time', ['-v', cmd, ...args], { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const seconds = (performance.now() - started) / 1000;
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr ?? '');
  return { seconds, rssKb: rss ? Number(rss[1]) : NaN, code: r.status, out: r.stdout ?? '', err: r.stderr ?? '' };
}

function fmt(seconds: number): string { return `${seconds.toFixed(seconds < 1 ? 3 : 2)} s`; }
function mib(kb: number): string { return `${(kb / 1024).toFixed(0)} MiB`; }
function ratio(a: number, b: number): string { return `${(a / b).toFixed(2)}×`; }
function verdict(ok: boolean): string { return ok ? 'met' : 'NOT met'; }

/** A deterministic sample (xorshift, fixed seed), so that runs compare. */
function pick<T>(all: T[], n: number, seed: number): T[] {
  let x = seed >>> 0 || 1;
  const copy = [...all];
  const out: T[] = [];
  while (out.length < n && copy.length > 0) {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    out.push(copy.splice(x % copy.length, 1)[0]);
  }
  return out;
}

async function main(): Promise<void> {
  const tree = arg('tree');
  if (!tree || !existsSync(tree)) { console.error('usage: npm run bench:index -- --tree DIR [--function NAME] [--file REL] [--skip-cold]'); process.exit(2); }
  const root = resolve(tree);
  const fn = arg('function', 'invalidate_inode_pages2_range')!;
  const oneFile = arg('file', 'mm/filemap.c,mm/truncate.c')!;
  const skipCold = process.argv.includes('--skip-cold');
  if (skipCold && !arg('cache')) { console.error('--skip-cold needs --cache DIR holding a full index of the tree (from `kpl index DIR --cache DIR`)'); process.exit(2); }
  const kplBin = join(repo, 'bin', 'kpl.js');
  if (!existsSync(join(repo, 'dist', 'kpl.js'))) { console.error('run `npm run build` first'); process.exit(2); }
  const work = mkdtempSync(join(tmpdir(), 'kpl-bench-'));
  try {
    const files = listSourceFiles(root);
    console.log(`tree: ${root} (${files.length} .c/.h files)`);
    console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.versions.node}; load average at start ${(await import('node:os')).loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    console.log('');

    // cscope: the same file list, database in a temporary folder.
    writeFileSync(join(work, 'cscope.files'), files.map((f) => join(root, f)).join('\n') + '\n');
    const cscope = timed('cscope', ['-b', '-q', '-k', '-i', 'cscope.files'], work);
    if (cscope.code !== 0) throw new Error(`cscope failed: ${cscope.err.slice(-500)}`);
    const query = timed('cscope', ['-d', '-L', '-3', fn], work);
    const cscopeSites = query.out.split('\n').filter(Boolean).length;

    // kpl: cold first answer (empty cache), then cold full index (another empty cache).
    const firstAnswer = timed(process.execPath, [kplBin, 'callers', fn, '--tree', root, '--cache', join(work, 'cache-first'), '--format', 'json'], repo);
    if (firstAnswer.code !== 0) throw new Error(`kpl callers failed: ${firstAnswer.err}`);
    const kplSites = (JSON.parse(firstAnswer.out) as unknown[]).length;
    let cold: Run | undefined;
    // --cache DIR: a cache already holding this tree's full index (for --skip-cold runs).
    const fullCache = arg('cache') ?? join(work, 'cache-full');
    if (!skipCold) {
      cold = timed(process.execPath, [kplBin, 'index', root, '--cache', fullCache], repo);
      if (cold.code !== 0) throw new Error(`kpl index failed: ${cold.err.slice(-500)}`);
    }
    const warmCli = timed(process.execPath, [kplBin, 'index', root, '--cache', fullCache], repo);
    const warmAnswer = timed(process.execPath, [kplBin, 'callers', fn, '--tree', root, '--cache', fullCache, '--format', 'json'], repo);

    // In-process, as the language server sees it: load the cache, verify every file by stat,
    // answer from memory; then reindex one file (parser already loaded).
    let t = performance.now();
    const graph = await openCallGraph(root, { cacheDir: fullCache });
    const loadSeconds = (performance.now() - t) / 1000;
    t = performance.now();
    const summary = await graph.indexAll();
    const verifySeconds = (performance.now() - t) / 1000;
    // The name table and postings are built once, on the first question or when the server is idle.
    t = performance.now();
    await graph.warm();
    const warmMs = performance.now() - t;
    t = performance.now();
    const fromMemory = await graph.callers(fn);
    const queryMs = performance.now() - t;
    const reindex = oneFile.split(',').map((file) => {
      return { file, times: [] as number[] };
    });
    for (const r of reindex) {
      for (let i = 0; i < 7; i++) {
        t = performance.now();
        await graph.reindexFile(r.file);
        r.times.push(performance.now() - t);
      }
      r.times.sort((a, b) => a - b);
    }
    const heapRss = process.memoryUsage().rss / 1024;

    // Lazy answers (word scan + cache check) against the complete index, on a sample of the
    // tree's own functions: every answer must be the same.
    const names = graph.functionNames();
    const sampleSize = Number(arg('sample', '100'));
    const sample = pick(names, sampleSize, 27);
    const lazy = await openCallGraph(root, { cacheDir: fullCache });
    let agree = 0;
    const lazyMs: number[] = [];
    const disagree: string[] = [];
    for (const name of sample) {
      t = performance.now();
      const got = await lazy.callers(name);
      lazyMs.push(performance.now() - t);
      if (JSON.stringify(got) === JSON.stringify(await graph.callers(name))) agree++;
      else disagree.push(name);
    }
    lazyMs.sort((a, b) => a - b);
    await lazy.close();
    await graph.close();

    console.log('                                  kpl                 cscope              ratio (kpl/cscope)');
    if (cold) console.log(`cold full index, wall          ${fmt(cold.seconds).padEnd(20)}${fmt(cscope.seconds).padEnd(20)}${ratio(cold.seconds, cscope.seconds)}`);
    if (cold) console.log(`cold full index, peak RSS      ${mib(cold.rssKb).padEnd(20)}${mib(cscope.rssKb).padEnd(20)}${ratio(cold.rssKb, cscope.rssKb)}`);
    console.log(`first answer on a cold tree    ${fmt(firstAnswer.seconds).padEnd(20)}${fmt(cscope.seconds + query.seconds).padEnd(20)}${ratio(firstAnswer.seconds, cscope.seconds + query.seconds)}   (${fn}: kpl ${kplSites} sites, cscope ${cscopeSites} lines)`);
    console.log(`first answer, peak RSS         ${mib(firstAnswer.rssKb).padEnd(20)}${mib(cscope.rssKb).padEnd(20)}${ratio(firstAnswer.rssKb, cscope.rssKb)}`);
    console.log(`answer with a warm cache       ${fmt(warmAnswer.seconds).padEnd(20)}${fmt(query.seconds).padEnd(20)}(whole process: start, load cache, scan, answer)`);
    console.log('');
    console.log(`warm \`kpl index\` (process)     ${fmt(warmCli.seconds)}, peak RSS ${mib(warmCli.rssKb)}`);
    console.log(`reload from cache (in-process) ${fmt(loadSeconds)} load + ${fmt(verifySeconds)} stat of every file = ${fmt(loadSeconds + verifySeconds)}   target < 1 s: ${verdict(loadSeconds + verifySeconds < 1)}`);
    console.log(`query from memory              ${queryMs.toFixed(1)} ms (${fromMemory.length} sites), after ${warmMs.toFixed(0)} ms once for the parser, name table and postings`);
    for (const { file, times } of reindex) {
      const size = statSync(join(root, file)).size;
      console.log(`one-file reindex               ${file} (${(size / 1024).toFixed(0)} KiB): median ${times[3].toFixed(1)} ms, min ${times[0].toFixed(1)} ms, max ${times[6].toFixed(1)} ms   target < 50 ms: ${verdict(times[3] < 50)}`);
    }
    console.log(`memory with the whole index    ${mib(heapRss)} RSS in-process (cscope build peak ${mib(cscope.rssKb)}): ${verdict(heapRss < cscope.rssKb)}`);
    console.log(`lazy == complete callers       ${agree}/${sample.length} sampled functions agree${disagree.length ? ` (differ: ${disagree.slice(0, 10).join(', ')})` : ''}; lazy answer with a warm cache median ${lazyMs[lazyMs.length >> 1]?.toFixed(0)} ms, max ${lazyMs.at(-1)?.toFixed(0)} ms`);
    console.log(`index: ${summary.files} files, ${summary.functions} functions, ${summary.calls} call sites, ${summary.bindings} bindings, ${summary.problems.length} files with problems`);
    console.log('');
    if (cold) console.log(`target cold index no slower than cscope: ${verdict(cold.seconds <= cscope.seconds)}; peak memory below cscope's: ${verdict(cold.rssKb < cscope.rssKb)}`);
    console.log(`target first answer ≤ 3 s: ${verdict(firstAnswer.seconds <= 3)}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((e) => { console.error(e instanceof Error ? e.stack : e); process.exit(1); });

// cscope's side of the callers comparison: build (or reuse) a cross-reference outside the
// tree, read the function definitions out of it, and ask it for the callers of a name.

import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync, mkdirSync, readdirSync } from 'node:fs';
import { join, relative, isAbsolute } from 'node:path';

// cscope 15.x compresses its database text with "dicodes": a byte with the top bit set stands
// for two frequent characters (see cscope's compath / dichar tables). Symbols are stored so too.
const DICHAR1 = ' teisaprnl(of)=c';
const DICHAR2 = ' tnerpla';

function decode(buf, start, end) {
  let s = '';
  for (let i = start; i < end; i++) {
    const b = buf[i];
    if (b & 0x80) { const c = b & 0x7f; s += DICHAR1[c >> 3] + DICHAR2[c & 7]; }
    else s += String.fromCharCode(b);
  }
  return s;
}

/** Lists every .c/.h of the tree (absolute paths, sorted), skipping .git, as cscope.files. */
export function listSources(tree) {
  const out = [];
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.name === '.git') continue;
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && /\.[ch]$/.test(e.name)) out.push(p);
    }
  };
  walk(tree);
  return out.sort();
}

/**
 * Makes sure `dir` holds a cscope database of `tree` (`cscope -b -q -k`), building it if it is
 * missing; returns the build's wall time and peak RSS when it had to build.
 */
export function ensureDatabase(tree, dir) {
  if (existsSync(join(dir, 'cscope.out'))) return { built: false };
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'cscope.files'), listSources(tree).join('\n') + '\n');
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M', 'cscope', '-b', '-q', '-k', '-i', 'cscope.files'], { cwd: dir, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`cscope build failed: ${r.stderr.trim().split('\n').pop()}`);
  const [wall, rss] = r.stderr.trim().split('\n').pop().split(' ').map(Number);
  return { built: true, wallSeconds: wall, peakRssKB: rss };
}

/**
 * Function definitions (cscope's `$` marks) and #define'd names (`#` marks) in the database,
 * as name -> [tree-relative files]. Reads cscope.out in one pass.
 */
export function readDefinitions(dir, tree) {
  const buf = readFileSync(join(dir, 'cscope.out'));
  const functions = new Map();
  const macros = new Set();
  let file = '';
  let i = buf.indexOf(10) + 1; // skip the header line
  while (i < buf.length) {
    let eol = buf.indexOf(10, i);
    if (eol < 0) eol = buf.length;
    if (buf[i] === 9 && eol - i > 2) {
      const mark = buf[i + 1];
      if (mark === 0x40 /* @ */) {
        const path = decode(buf, i + 2, eol);
        file = isAbsolute(path) ? relative(tree, path) : path;
      } else if (mark === 0x24 /* $ */) {
        const name = decode(buf, i + 2, eol);
        let files = functions.get(name);
        if (!files) functions.set(name, (files = []));
        if (!files.includes(file)) files.push(file);
      } else if (mark === 0x23 /* # */) macros.add(decode(buf, i + 2, eol));
    }
    i = eol + 1;
  }
  return { functions, macros };
}

/**
 * `cscope -d -L -3 NAME`: the call sites cscope attributes to NAME, as
 * { file (tree-relative), caller, line, text }.
 */
export function cscopeCallers(dir, tree, name) {
  const r = spawnSync('cscope', ['-d', '-L', '-3', name], { cwd: dir, encoding: 'latin1', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`cscope -d -L -3 ${name}: exit ${r.status} ${r.stderr}`);
  const sites = [];
  for (const row of r.stdout.split('\n')) {
    const m = /^(\S+) (\S+) (\d+) ?(.*)$/.exec(row);
    if (!m) continue;
    const file = isAbsolute(m[1]) ? relative(tree, m[1]) : m[1];
    sites.push({ file, caller: m[2], line: Number(m[3]), text: m[4] });
  }
  return sites;
}

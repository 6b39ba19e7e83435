// Finds the files of a tree that mention any of some identifiers as whole words: the first step
// of a lazy answer (only those files get parsed). ripgrep or `git grep` when available (both
// search in parallel and skip nothing we need), else a pure-Node scan of the same file set.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { listSourceFiles } from './walk';

export type ScannerName = 'rg' | 'git' | 'node';

export interface WordScanner {
  readonly name: ScannerName;
  /** Tree-relative paths of the source files that contain one of `words` as a whole word. */
  scan(words: string[]): Promise<Set<string>>;
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

function available(cmd: string, args: string[]): boolean {
  try {
    return spawnSync(cmd, args, { stdio: 'ignore', timeout: 5000 }).status === 0;
  } catch {
    return false;
  }
}

function run(cmd: string, args: string[], cwd: string): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolveRun) => {
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => resolveRun({ code: -1, out: '', err: e.message }));
    child.on('close', (code) => resolveRun({ code, out: Buffer.concat(out).toString('utf8'), err: Buffer.concat(err).toString('utf8') }));
  });
}

/** Keeps only paths the walker would list (no dot folders or files, only .c/.h). */
function inFileSet(path: string): boolean {
  return (path.endsWith('.c') || path.endsWith('.h')) && !path.split('/').some((seg) => seg.startsWith('.'));
}

function lines(out: string, strip: string): Set<string> {
  const set = new Set<string>();
  for (let line of out.split('\n')) {
    if (!line) continue;
    if (line.startsWith(strip)) line = line.slice(strip.length);
    if (inFileSet(line)) set.add(line);
  }
  return set;
}

class RipgrepScanner implements WordScanner {
  readonly name = 'rg';
  constructor(private readonly root: string) {}
  async scan(words: string[]): Promise<Set<string>> {
    const ws = words.filter((w) => IDENT.test(w));
    if (ws.length === 0) return new Set();
    // `.` explicitly: with no path and a non-terminal stdin, rg would search stdin.
    const args = ['-l', '-w', '-F', '-a', '--no-ignore', '--no-messages', '--no-config', '-g', '*.c', '-g', '*.h', ...ws.flatMap((w) => ['-e', w]), '.'];
    const r = await run('rg', args, this.root);
    if (r.code !== 0 && r.code !== 1 && r.out === '') throw new Error(`rg failed: ${r.err.trim()}`);
    return lines(r.out, './');
  }
}

class GitGrepScanner implements WordScanner {
  readonly name = 'git';
  constructor(private readonly root: string) {}
  async scan(words: string[]): Promise<Set<string>> {
    const ws = words.filter((w) => IDENT.test(w));
    if (ws.length === 0) return new Set();
    const args = ['grep', '-l', '-w', '-F', '-a', '--untracked', '--no-exclude-standard', '--no-color', ...ws.flatMap((w) => ['-e', w]), '--', '*.c', '*.h'];
    const r = await run('git', args, this.root);
    if (r.code !== 0 && r.code !== 1) throw new Error(`git grep failed: ${r.err.trim()}`);
    return lines(r.out, '');
  }
}

function isWordByte(b: number): boolean {
  return (b >= 48 && b <= 57) || (b >= 65 && b <= 90) || (b >= 97 && b <= 122) || b === 95;
}

/** True when `bytes` holds `word` with no identifier character on either side. */
export function hasWord(bytes: Buffer, word: Buffer): boolean {
  let at = bytes.indexOf(word);
  while (at >= 0) {
    const before = at === 0 ? -1 : bytes[at - 1];
    const after = at + word.length >= bytes.length ? -1 : bytes[at + word.length];
    if (!(before >= 0 && isWordByte(before)) && !(after >= 0 && isWordByte(after))) return true;
    at = bytes.indexOf(word, at + 1);
  }
  return false;
}

class NodeScanner implements WordScanner {
  readonly name = 'node';
  private files: string[] | undefined;
  constructor(private readonly root: string) {}
  async scan(words: string[]): Promise<Set<string>> {
    const ws = words.filter((w) => IDENT.test(w)).map((w) => Buffer.from(w, 'latin1'));
    const out = new Set<string>();
    if (ws.length === 0) return out;
    // The file list is kept: a tree's layout rarely changes during one session, and a stale
    // list only costs a missed new file until the next full index.
    this.files ??= listSourceFiles(this.root);
    for (const f of this.files) {
      let bytes: Buffer;
      try { bytes = readFileSync(join(this.root, f)); } catch { continue; }
      if (ws.some((w) => hasWord(bytes, w))) out.add(f);
    }
    return out;
  }
}

/** The fastest scanner that works for this tree (or the one asked for). */
export function createWordScanner(root: string, prefer?: ScannerName): WordScanner {
  if ((prefer === undefined || prefer === 'rg') && available('rg', ['--version'])) return new RipgrepScanner(root);
  if ((prefer === undefined || prefer === 'git') && existsSync(join(root, '.git')) && available('git', ['-C', root, 'rev-parse', '--is-inside-work-tree'])) return new GitGrepScanner(root);
  return new NodeScanner(root);
}

// The files of a tree the index covers: every regular `.c`/`.h` file, not inside a folder whose
// name starts with a dot (.git, .tmp_versions), symlinks not followed (no loops, no duplicates).
// The word scanners (word-scan.ts) must see the same set, so lazy and full answers agree.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

export function isSourceFile(name: string): boolean {
  return name.endsWith('.c') || name.endsWith('.h');
}

/** Tree-relative paths (with `/`) of all source files under `root`, sorted. */
export function listSourceFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string, rel: string): void => {
    let names;
    try { names = readdirSync(dir, { withFileTypes: true }); } catch { return; }
    for (const d of names) {
      if (d.name.startsWith('.')) continue;
      const r = rel ? `${rel}/${d.name}` : d.name;
      if (d.isDirectory()) walk(join(dir, d.name), r);
      else if (d.isFile() && isSourceFile(d.name)) out.push(r);
    }
  };
  walk(root, '');
  return out.sort();
}

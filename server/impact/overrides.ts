// Return sets the user gives for functions the analysis gets wrong, as kernel reviewers keep for
// smatch: `.kpl-overrides.json` in the tree's root (or a file passed in), e.g.
//   { "do_launder_page": ["0", "-EIO"], "vfs_foo": ["0", "unknown"] }
// A malformed file is reported and ignored; it never stops a review.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Warning } from '../model';

export const OVERRIDES_FILE = '.kpl-overrides.json';

/** Checks and converts parsed JSON into function → return set; problems go to `warnings`. */
export function parseOverrides(data: unknown, where: string, warnings: Warning[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    warnings.push({ message: `${where}: expected an object of function name -> list of return values; ignored` });
    return out;
  }
  for (const [name, values] of Object.entries(data as Record<string, unknown>)) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) || !Array.isArray(values) || !values.every((v) => typeof v === 'string' && v.trim() !== '')) {
      warnings.push({ message: `${where}: entry "${name}" must map a C function name to a list of values like ["0", "-EIO"]; ignored` });
      continue;
    }
    out.set(name, values.map((v: string) => v.replace(/\s+/g, '')));
  }
  return out;
}

/** Reads the overrides file: `file` if given, else `.kpl-overrides.json` in the tree root (optional). */
export function loadOverrides(root: string, warnings: Warning[], file?: string): Map<string, string[]> {
  const path = file ?? join(root, OVERRIDES_FILE);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    if (file) warnings.push({ message: `overrides file ${file} cannot be read; ignored` });
    return new Map();
  }
  try {
    const map = parseOverrides(JSON.parse(text), path, warnings);
    if (map.size > 0) warnings.push({ message: `return sets of ${[...map.keys()].join(', ')} taken from ${path}` });
    return map;
  } catch (e) {
    warnings.push({ message: `${path} is not valid JSON (${e instanceof Error ? e.message : String(e)}); ignored` });
    return new Map();
  }
}

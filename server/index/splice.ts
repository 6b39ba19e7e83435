// The index of a file after a small edit (a patch's post-image), from the index before it: what
// lies before the edited stretch is kept, what lies after it is moved by the lines the edit added
// or removed, and only the functions the edit touches are indexed again, parsed alone with the
// lines above them blanked so that positions stay the file's. A kernel file is often a hundred
// times longer than the function an errno patch changes.
import { createHash } from 'node:crypto';
import type { Parser } from 'web-tree-sitter';
import type { FileIndex, SourceLocation } from '../model';
import { indexFile } from './file-indexer';

/**
 * The index of `after`, given the index of `before` (both texts of `before.file`); null when the
 * edit cannot be confined to whole functions (it is outside any function, adds or removes
 * one, or the functions parsed alone do not come out as they were): index the whole file then.
 */
export function spliceIndex(parser: Parser, before: FileIndex, beforeText: string, afterText: string): FileIndex | null {
  // A file with syntax errors is indexed as far as it parsed, which a part does the same way;
  // one that was skipped or stopped early has no index to start from.
  if (before.problem !== undefined && errorLines(before.problem) === null) return null;
  const a = beforeText.split('\n'), b = afterText.split('\n');
  let prefix = 0;
  while (prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  if (prefix === a.length && prefix === b.length) return { ...before, hash: sha1(afterText) };
  let suffix = 0;
  while (suffix < a.length - prefix && suffix < b.length - prefix && a[a.length - 1 - suffix] === b[b.length - 1 - suffix]) suffix++;
  // The edited stretch, 1-based, in the old text, widened to the functions it touches.
  let start = prefix + 1, end = a.length - suffix;
  const touched = before.functions.filter((f) => f.line <= Math.max(end, start) && f.endLine >= start);
  // Part of the edit may lie in comments (a kernel-doc above a function, or only a comment); any
  // other line outside every function is file scope, which a part cannot follow.
  const commentOnly = (from: number, to: number) => a.slice(from - 1, to).every((l) => /^\s*(?:\/\*.*|\*.*|\/\/.*)?$/.test(l));
  if (touched.length === 0) {
    if (!commentOnly(start, end)) return null;
  } else {
    const first = Math.min(...touched.map((f) => f.line)), last = Math.max(...touched.map((f) => f.endLine));
    if (last < end || (first > start && !commentOnly(start, first - 1))) return null;
    start = Math.min(start, first);
    end = last;
  }
  // A stretch that starts or ends inside a comment takes the whole comment (a part must parse alone).
  const opens = (l: string) => /^\s*\/[*/]/.test(l);
  if (commentOnly(start, start)) while (start > 1 && !opens(a[start - 1]) && commentOnly(start - 1, start - 1)) start--;
  if (end >= start && commentOnly(end, end)) while (end < a.length && !/\*\/\s*$|^\s*\/\//.test(a[end - 1]) && commentOnly(end + 1, end + 1)) end++;
  const shift = b.length - a.length;
  const newEnd = end + shift;
  if (newEnd < start) return null;
  const slice = '\n'.repeat(start - 1) + b.slice(start - 1, newEnd).join('\n') + '\n';
  const part = indexFile(parser, before.file, slice);
  const partErrors = errorLines(part.problem);
  // A part that parses worse than the same stretch did in its whole file is cut wrong.
  if (partErrors === null || partErrors.length > (errorLines(before.problem) ?? []).filter((l) => l >= start && l <= end).length) return null;
  // Whole functions in, the same functions out: anything else is an edit this cannot follow.
  const names = (fs: { name: string }[]) => fs.map((f) => f.name).join('\0');
  const inside = before.functions.filter((f) => f.line >= start && f.endLine <= end);
  if (names(inside) !== names(part.functions)) return null;
  // Bindings and references are told from the names the whole file declares, which a part alone
  // does not see: they are carried over from the old index, which is exact as long as the edited
  // lines themselves hold none (before or after); otherwise the whole file is indexed.
  const editEnd = a.length - suffix, editEndNew = b.length - suffix;
  const edited = (x: SourceLocation) => x.line > prefix && x.line <= editEnd;
  const editedNew = (x: SourceLocation) => x.line > prefix && x.line <= editEndNew;
  if (before.bindings.some(edited) || before.refs.some(edited) || part.bindings.some(editedNew) || part.refs.some(editedNew)) return null;
  // The part may also miss a reference the whole file would see: a function of this file named
  // on an edited line other than as a direct call (`walk(c, flush_one)`).
  const known = new Set([...before.functions.map((f) => f.name), ...before.calls.map((c) => c.callee), ...before.refs.map((r) => r.function)]);
  for (const line of b.slice(prefix, editEndNew)) {
    for (const m of line.matchAll(/\b[A-Za-z_]\w*\b(?!\s*\()/g)) if (known.has(m[0])) return null;
  }
  const carry = <T extends SourceLocation>(old: T[]): T[] => [
    ...old.filter((x) => x.line <= prefix),
    ...old.filter((x) => x.line > editEnd).map((x) => ({ ...x, line: x.line + shift })),
  ];

  const keep = <T extends SourceLocation>(old: T[], fresh: T[], move: (x: T) => T): T[] => [
    ...old.filter((x) => x.line < start),
    ...fresh,
    ...old.filter((x) => x.line > end).map(move),
  ];
  const moved = <T extends SourceLocation>(x: T): T => ({ ...x, line: x.line + shift });
  const exports = new Set(before.exports);
  const errors = [
    ...(errorLines(before.problem) ?? []).filter((l) => l < start),
    ...partErrors,
    ...(errorLines(before.problem) ?? []).filter((l) => l > end).map((l) => l + shift),
  ];
  const spliced: FileIndex = {
    file: before.file,
    hash: sha1(afterText),
    functions: keep(before.functions, part.functions.map((f) => ({ ...f, exported: exports.has(f.name) })), (f) => ({ ...f, line: f.line + shift, endLine: f.endLine + shift })),
    calls: keep(before.calls, part.calls, moved),
    bindings: carry(before.bindings),
    refs: carry(before.refs),
    macros: keep(before.macros, part.macros, moved),
    exports: [...new Set([...before.exports, ...part.exports])],
  };
  if (errors.length > 0) spliced.problem = `syntax errors near line ${[...new Set(errors)].join(', ')}; indexed what parsed`;
  return spliced;
}

/** The lines of the indexer's "syntax errors near line 3, 40; indexed what parsed"; null for any other problem, [] for none. */
function errorLines(problem: string | undefined): number[] | null {
  if (problem === undefined) return [];
  const m = /^syntax errors near line ([\d, ]+); indexed what parsed$/.exec(problem);
  return m ? m[1].split(',').map((x) => Number(x.trim())) : null;
}

function sha1(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

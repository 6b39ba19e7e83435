// Which indirect call sites through a field can plausibly reach a function bound to it. The call
// graph matches `x->write(...)` to every function bound to any `.write`; in a kernel tree that is
// hundreds of unrelated tty, PCI and console calls for `.write = do_sync_write`. A call through
// `file->f_op->write` reaches a `struct file_operations`; one through `tty->driver->write` does not.
// Without types, the kernel's naming habit decides: the member holding the table abbreviates the
// table's struct type (f_op ~ file_operations, a_ops ~ address_space_operations, fops, i_op, s_op).
import type { SyntaxNode } from '../index/parser';
import type { CallSite, OpsBinding } from '../model';
import type { TreeSource } from '../tree';
import { enclosing, stripParens, type ParsedFiles } from './c-syntax';

/** Whether `member` (underscores ignored) is built of prefixes of the words of `type`, in order. */
export function abbreviates(member: string, type: string): boolean {
  const s = member.toLowerCase().replace(/_/g, '');
  const words = type.toLowerCase().split('_').filter(Boolean);
  const memo = new Map<string, boolean>();
  const match = (at: number, word: number): boolean => {
    if (at === s.length) return true;
    const key = `${at},${word}`;
    if (memo.has(key)) return memo.get(key)!;
    let ok = false;
    for (let w = word; w < words.length && !ok; w++) {
      for (let k = 1; at + k <= s.length && !ok; k++) {
        const piece = s.slice(at, at + k);
        // "ops" for "operations": a plural s on the piece is allowed
        if (words[w].startsWith(piece) || (piece.length > 2 && piece.endsWith('s') && words[w].startsWith(piece.slice(0, -1)))) ok = match(at + k, w + 1);
      }
      // Leading words may be skipped (`ops` for `proto_ops`, `sock->ops->listen`): a generic
      // member name lets more through, which is better than losing a real caller.
    }
    memo.set(key, ok);
    return ok;
  };
  return s.length > 0 && words.length > 0 && match(0, 0);
}

/**
 * The lines of files read for the quick answers below. A wide ops field (`.write`) has hundreds
 * of call sites and bindings across the tree: reading a line costs nothing, parsing its file
 * costs milliseconds, so the text answers first and the syntax tree only when it cannot. With
 * the review's ParsedFiles the lines are kept per file text (shared by every patch of a series).
 */
const lineCache = new WeakMap<TreeSource, Map<string, string[] | null>>();
function lineOf(source: TreeSource, file: string, line: number, files?: ParsedFiles): string | undefined {
  if (files) return files.lines(source, file)?.[line - 1];
  let known = lineCache.get(source);
  if (!known) lineCache.set(source, (known = new Map()));
  let lines = known.get(file);
  if (lines === undefined) {
    const text = source.read(file);
    lines = text === undefined ? null : text.split('\n');
    known.set(file, lines);
  }
  return lines?.[line - 1];
}

/**
 * `struct file_operations ext3_file_operations = {` read from the lines above a binding whose
 * owner is the variable: the struct type; undefined when the text does not say it plainly
 * (typedefs, macros, a compound literal), and the syntax tree decides.
 */
export function bindingTypeFromText(b: OpsBinding, source: TreeSource, files?: ParsedFiles): string | null | undefined {
  const at = lineOf(source, b.file, b.line, files);
  if (at === undefined) return undefined;
  // `dev->open = foo_open;` in a function: an assignment, in no declaration.
  if (/^\s*[A-Za-z_][\w>.\-[\]]*(->|\.)\s*\w+\s*=\s*&?\s*\w+\s*;\s*$/.test(at) && !/^\s*\./.test(at)) return null;
  const fromOwner = b.owner && /^[A-Za-z_]\w*$/.test(b.owner) && !/^CONFIG_/.test(b.owner) ? typeByOwner(b, b.owner, source, files) : undefined;
  return fromOwner !== undefined ? fromOwner : typeAbove(b, source, files);
}

/**
 * The nearest file-scope initialiser opening above a binding (`static struct file_operations
 * x = {` at the start of a line) with no closing `}` at the start of a line in between: kernel
 * style, for when the indexer's owner is not the variable (`#ifdef CONFIG_COMPAT` inside the table).
 */
function typeAbove(b: OpsBinding, source: TreeSource, files?: ParsedFiles): string | null | undefined {
  for (let l = b.line - 1, stop = Math.max(1, b.line - 400); l >= stop; l--) {
    const text = lineOf(source, b.file, l, files);
    if (text === undefined || /^}/.test(text)) return undefined;
    if (/^\S/.test(text) && /=\s*{?\s*$/.test(text)) {
      const m = /^(?:(?:static|const|__\w+(?:\([^)]*\))?)\s+)*struct\s+(\w+)\s+(?:(?:const|__\w+(?:\([^)]*\))?)\s+)*\w+\s*(\[[^\]]*\]\s*)?=\s*{?\s*$/.exec(text);
      return m ? m[1] : undefined;
    }
  }
  return undefined;
}

function typeByOwner(b: OpsBinding, owner: string, source: TreeSource, files?: ParsedFiles): string | null | undefined {
  b = { ...b, owner };
  const header = new RegExp(`\\b${b.owner}\\s*(\\[[^\\]]*\\]\\s*)?=`);
  for (let l = b.line, stop = Math.max(1, b.line - 400); l >= stop; l--) {
    const text = lineOf(source, b.file, l, files);
    if (text === undefined) return undefined;
    if (!header.test(text)) continue;
    const before = [lineOf(source, b.file, l - 1, files) ?? '', text].join('\n');
    const m = new RegExp(`(?:^|[;{}\\s])struct\\s+(\\w+)\\s+(?:(?:const|__\\w+(?:\\([^)]*\\))?)\\s+)*${b.owner}\\s*(\\[[^\\]]*\\]\\s*)?=`).exec(before);
    return m ? m[1] : undefined;
  }
  return undefined;
}

/**
 * `file->f_op->aio_write(...)` read from the call's line: the name just before `->field` (the
 * member or the variable holding the table). Undefined when the object is anything but a plain
 * chain of names starting on that line (casts, calls, subscripts, a chain continued from the
 * line above), and the syntax tree decides.
 */
export function receiverFromText(site: CallSite, source: TreeSource, files?: ParsedFiles): string | null | undefined {
  if (!site.via) return undefined;
  const text = lineOf(source, site.file, site.line, files);
  const field = site.via.replace(/^\./, '');
  if (text === undefined || text.slice(site.column - 1, site.column - 1 + field.length) !== field) return undefined;
  const prefix = text.slice(0, site.column - 1);
  // `apic_probe[i]->probe(`: the holder is the array (as the syntax tree says it)
  const m = /((?:[A-Za-z_]\w*\s*(?:->|\.)\s*)+)$/.exec(prefix) ?? /([A-Za-z_]\w*)\s*\[[^[\]]*\]\s*->\s*$/.exec(prefix);
  if (!m) return undefined;
  const lead = text.slice(0, m.index);
  // The object is the chain alone unless what precedes it is more of it (`f(x)->ops->write`,
  // `a[i].ops->write`), which may start on an earlier line: then the syntax tree decides. A name
  // or `)` before the chain on its line is a keyword or a cast, outside it.
  if (/(->|\.)\s*$/.test(lead)) return undefined;
  if (/^\s*$/.test(lead)) {
    for (let l = site.line - 1; l >= Math.max(1, site.line - 20); l--) {
      const above = (lineOf(source, site.file, l, files) ?? '').trim();
      if (above === '') continue;
      // A statement before ends the expression; anything else (`if (x)`, an unexpanded
      // `list_for_each_entry(...)` that tree-sitter runs into the call) is the tree's to read.
      if (!/[;{}:]$|\*\/$|^#|\belse$/.test(above)) return undefined;
      break;
    }
  }
  const names = m[1].split(/->|\./).map((x) => x.trim()).filter(Boolean);
  return names[names.length - 1] ?? undefined;
}

/** The struct type of the initialiser a binding sits in: `struct file_operations ext3_file_operations = {...}`. */
async function bindingType(b: OpsBinding, source: TreeSource, files: ParsedFiles): Promise<string | null> {
  const quick = bindingTypeFromText(b, source, files);
  if (quick !== undefined) return quick;
  const root = await files.root(source, b.file);
  return root ? bindingTypeIn(root, b) : null;
}

/** The struct type of the declaration a binding sits in, read from the file's syntax tree. */
export function bindingTypeIn(root: SyntaxNode, b: OpsBinding): string | null {
  const decl = enclosing(root, b.line, ['declaration']);
  const type = decl?.childForFieldName('type');
  if (type?.type !== 'struct_specifier') return null;
  return type.childForFieldName('name')?.text ?? null;
}

/** The member (or variable) the table is reached through at an indirect call: `f_op` in `file->f_op->write(...)`. */
async function receiverAt(site: CallSite, source: TreeSource, files: ParsedFiles, definitionOf?: (site: CallSite) => Promise<{ line: number; endLine: number } | undefined>): Promise<string | null> {
  if (!site.via) return null;
  const quick = receiverFromText(site, source, files);
  if (quick !== undefined) return quick;
  // The calling function alone, from the lines the index gives it; the whole file when that
  // does not show the call.
  const def = await definitionOf?.(site);
  if (def) {
    const root = await files.sliceRoot(source, site.file, def.line, def.endLine);
    const found = root ? receiverIn(root, site) : null;
    if (found !== null) return found;
  }
  const root = await files.root(source, site.file);
  return root ? receiverIn(root, site) : null;
}

/** The receiver of an indirect call site read from a syntax tree (the file's or the calling function's); null when the call is not found there. */
export function receiverIn(root: SyntaxNode, site: CallSite): string | null {
  const field = site.via!.replace(/^\./, '');
  const holder = (f: SyntaxNode): string => {
    let obj = stripParens(f.childForFieldName('argument')!);
    // apic_probe[i]->probe(), (*p)->probe(): the table's holder is the array or the pointer
    while (obj.type === 'subscript_expression' || obj.type === 'pointer_expression') obj = stripParens(obj.childForFieldName('argument')!);
    return obj.type === 'field_expression' ? obj.childForFieldName('field')?.text ?? '' : obj.type === 'identifier' ? obj.text : '';
  };
  // Straight to the field the index points at, then up to its call: no walk over the file.
  const at = root.descendantForPosition({ row: site.line - 1, column: site.column - 1 });
  const f0 = at?.type === 'field_identifier' && at.text === field ? at.parent : null;
  if (f0?.type === 'field_expression' && f0.startPosition.row + 1 === site.line) {
    let up: SyntaxNode | null = f0.parent;
    while (up && (up.type === 'parenthesized_expression' || up.type === 'pointer_expression')) up = up.parent;
    if (up?.type === 'call_expression') {
      let f = stripParens(up.childForFieldName('function')!);
      if (f.type === 'pointer_expression') f = stripParens(f.childForFieldName('argument')!);
      if (f.id === f0.id) return holder(f0);
    }
  }
  let found: string | null = null;
  const visit = (n: SyntaxNode): void => {
    if (found !== null || n.startPosition.row + 1 > site.line || n.endPosition.row + 1 < site.line) return;
    if (n.type === 'call_expression') {
      let f = stripParens(n.childForFieldName('function')!);
      if (f.type === 'pointer_expression') f = stripParens(f.childForFieldName('argument')!); // (*(mtd->write))(...)
      if (f.type === 'field_expression' && f.childForFieldName('field')?.text === field && f.startPosition.row + 1 === site.line) {
        found = holder(f);
        return;
      }
    }
    for (const c of n.namedChildren) visit(c);
  };
  visit(root);
  return found;
}

/**
 * Splits the indirect call sites of `callee` into those that may reach it and those whose
 * receiver does not look like the struct type of any table it is bound in. Direct sites, and
 * sites where either side cannot be told, are kept.
 */
export async function plausibleSites(
  callee: string, sites: CallSite[], bindings: OpsBinding[], source: TreeSource, files: ParsedFiles,
  /** Where the function holding a site starts and ends (from the index), so only it is parsed. */
  definitionOf?: (site: CallSite) => Promise<{ line: number; endLine: number } | undefined>,
): Promise<{ kept: CallSite[]; dropped: CallSite[] }> {
  const typesByField = new Map<string, Set<string> | null>();
  for (const b of bindings) {
    // Both answers depend on the text of one file only: kept with it for the whole review.
    // The index holds the answer when its indexer read it from the syntax tree (indexes made
    // since it does); else it is read from the text, kept with it.
    const t = b.ownerType !== undefined ? b.ownerType || null
      : await (files.answer(source, b.file, `binding-type:${b.line}:${b.field}:${b.owner ?? ''}`, () => bindingType(b, source, files)) ?? null);
    const prev = typesByField.get(b.field);
    if (t === null) typesByField.set(b.field, null); // a binding of unknown type: keep every site
    else if (prev !== null) typesByField.set(b.field, new Set([...(prev ?? []), t]));
  }
  const kept: CallSite[] = [], dropped: CallSite[] = [];
  for (const s of sites) {
    const types = s.via ? typesByField.get(s.via) : null;
    if (!s.via || !types || types.size === 0) { kept.push(s); continue; }
    const member = s.receiver !== undefined ? s.receiver || null
      : await (files.answer(source, s.file, `receiver:${s.line}:${s.column}:${s.via}`, () => receiverAt(s, source, files, definitionOf)) ?? null);
    if (!member || [...types].some((t) => abbreviates(member, t) || member === t)) kept.push(s);
    else dropped.push(s);
  }
  void callee;
  return { kept, dropped };
}

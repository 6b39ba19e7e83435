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

/** The struct type of the initialiser a binding sits in: `struct file_operations ext3_file_operations = {...}`. */
async function bindingType(b: OpsBinding, source: TreeSource, files: ParsedFiles): Promise<string | null> {
  const root = await files.root(source, b.file);
  const decl = root ? enclosing(root, b.line, ['declaration']) : null;
  const type = decl?.childForFieldName('type');
  if (type?.type !== 'struct_specifier') return null;
  return type.childForFieldName('name')?.text ?? null;
}

/** The member (or variable) the table is reached through at an indirect call: `f_op` in `file->f_op->write(...)`. */
async function receiverAt(site: CallSite, source: TreeSource, files: ParsedFiles): Promise<string | null> {
  const root = await files.root(source, site.file);
  if (!root || !site.via) return null;
  const field = site.via.replace(/^\./, '');
  let found: string | null = null;
  const visit = (n: SyntaxNode): void => {
    if (found !== null || n.startPosition.row + 1 > site.line || n.endPosition.row + 1 < site.line) return;
    if (n.type === 'call_expression') {
      let f = stripParens(n.childForFieldName('function')!);
      if (f.type === 'pointer_expression') f = stripParens(f.childForFieldName('argument')!); // (*(mtd->write))(...)
      if (f.type === 'field_expression' && f.childForFieldName('field')?.text === field && f.startPosition.row + 1 === site.line) {
        let obj = stripParens(f.childForFieldName('argument')!);
        // apic_probe[i]->probe(), (*p)->probe(): the table's holder is the array or the pointer
        while (obj.type === 'subscript_expression' || obj.type === 'pointer_expression') obj = stripParens(obj.childForFieldName('argument')!);
        found = obj.type === 'field_expression' ? obj.childForFieldName('field')?.text ?? '' : obj.type === 'identifier' ? obj.text : '';
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
export async function plausibleSites(callee: string, sites: CallSite[], bindings: OpsBinding[], source: TreeSource, files: ParsedFiles): Promise<{ kept: CallSite[]; dropped: CallSite[] }> {
  const typesByField = new Map<string, Set<string> | null>();
  for (const b of bindings) {
    const t = await bindingType(b, source, files);
    const prev = typesByField.get(b.field);
    if (t === null) typesByField.set(b.field, null); // a binding of unknown type: keep every site
    else if (prev !== null) typesByField.set(b.field, new Set([...(prev ?? []), t]));
  }
  const kept: CallSite[] = [], dropped: CallSite[] = [];
  for (const s of sites) {
    const types = s.via ? typesByField.get(s.via) : null;
    if (!s.via || !types || types.size === 0) { kept.push(s); continue; }
    const member = await receiverAt(s, source, files);
    if (!member || [...types].some((t) => abbreviates(member, t) || member === t)) kept.push(s);
    else dropped.push(s);
  }
  void callee;
  return { kept, dropped };
}

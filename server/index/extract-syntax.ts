// Small syntax helpers of the file walker: grammar tables for a cheap walk, branch arms, and the
// shapes in which C names a function as a value or calls through a pointer.
import type { Language } from 'web-tree-sitter';
import type { SyntaxNode } from './parser';
import { stripValue, type Branch, type Frame } from './use-context';

export interface FrameArms extends Frame {
  arms?: Record<string, Branch>;
}

/** Names and namedness of the grammar's node types and fields by id, read once per language. */
export interface GrammarTables {
  types: string[];
  named: boolean[];
  fields: (string | null)[];
}

const tables = new WeakMap<Language, GrammarTables>();

/** Per-node cursor calls cost as much as parsing: one id lookup replaces name and namedness calls. */
export function grammarTables(language: Language): GrammarTables {
  let t = tables.get(language);
  if (!t) {
    t = { types: [], named: [], fields: [null] };
    for (let id = 0; id < language.nodeTypeCount; id++) {
      t.types.push(language.nodeTypeForId(id) ?? '');
      t.named.push(language.nodeTypeIsNamed(id));
    }
    for (let id = 1; id <= language.fieldCount; id++) t.fields.push(language.fieldNameForId(id));
    tables.set(language, t);
  }
  return t;
}

/** The chain of a child under one arm of a branching parent (one Branch per arm, shared). */
export function armOf(parent: FrameArms, key: string): Branch[] {
  parent.arms ??= {};
  return [...parent.chain, (parent.arms[key] ??= {})];
}

/** `*fn`, `(*fn)`, `(fn)`: the expression a pointer call goes through. */
export function stripPointer(node: SyntaxNode | null): SyntaxNode | null {
  let n = node;
  while (n && (n.type === 'parenthesized_expression' || (n.type === 'pointer_expression' && n.childForFieldName('operator')?.text === '*'))) {
    n = n.type === 'pointer_expression' ? n.childForFieldName('argument') : n.namedChild(0);
  }
  return n;
}

/** A function named as a value: `fn`, `&fn`, `(cast)fn`, `__devexit_p(fn)`. */
export function functionValue(value: SyntaxNode | null): { node: SyntaxNode; byAddress: boolean } | null {
  let v = stripValue(value);
  let byAddress = false;
  if (v?.type === 'pointer_expression' && v.childForFieldName('operator')?.text === '&') {
    v = stripValue(v.childForFieldName('argument'));
    byAddress = true;
  }
  if (v?.type === 'call_expression' && /^__(?:dev|cpu|mem)?(?:init|exit)_p$/.test(v.childForFieldName('function')?.text ?? '')) {
    v = stripValue(v.childForFieldName('arguments')?.namedChild(0) ?? null);
  }
  return v?.type === 'identifier' && v.text !== 'NULL' ? { node: v, byAddress } : null;
}

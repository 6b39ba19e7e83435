// Small syntax helpers of the file walker: grammar tables for a cheap walk, branch arms, and the
// shapes in which C names a function as a value or calls through a pointer.
import type { Language } from 'web-tree-sitter';
import type { SyntaxNode } from './parser';
import { stripValue, textOf, typeOf, type Branch, type Frame } from './use-context';

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

/**
 * Node types whose children never sit under a field (tree-sitter-c's node-types.json lists no
 * fields for them; a test keeps this in step with the grammar). The walker does not ask the
 * cursor for a field under these parents: one call into WASM less for most statements and
 * arguments.
 */
export const FIELDLESS_PARENTS: ReadonlySet<string> = new Set([
  'translation_unit', 'compound_statement', 'expression_statement', 'argument_list', 'parenthesized_expression',
  'return_statement', 'initializer_list', 'field_declaration_list', 'enumerator_list', 'declaration_list',
  'else_clause', 'preproc_else', 'concatenated_string', 'string_literal', 'char_literal', 'attributed_statement',
  'field_designator', 'subscript_designator', 'parenthesized_declarator', 'attributed_declarator', 'bitfield_clause',
  'preproc_params', 'preproc_defined',
]);

/** The chain of a child under one arm of a branching parent (one Branch per arm, shared). */
export function armOf(parent: FrameArms, key: string): Branch[] {
  parent.arms ??= {};
  return [...parent.chain, (parent.arms[key] ??= {})];
}

/** `*fn`, `(*fn)`, `(fn)`: the expression a pointer call goes through. */
export function stripPointer(node: SyntaxNode | null): SyntaxNode | null {
  let n = node;
  while (n && (typeOf(n) === 'parenthesized_expression' || (typeOf(n) === 'pointer_expression' && textOf(n.childForFieldName('operator')) === '*'))) {
    n = typeOf(n) === 'pointer_expression' ? n.childForFieldName('argument') : n.namedChild(0);
  }
  return n;
}

/** A function named as a value: `fn`, `&fn`, `(cast)fn`, `__devexit_p(fn)`. */
export function functionValue(value: SyntaxNode | null): { node: SyntaxNode; byAddress: boolean } | null {
  let v = stripValue(value);
  let byAddress = false;
  if (v && typeOf(v) === 'pointer_expression' && textOf(v.childForFieldName('operator')) === '&') {
    v = stripValue(v.childForFieldName('argument'));
    byAddress = true;
  }
  if (v && typeOf(v) === 'call_expression' && /^__(?:dev|cpu|mem)?(?:init|exit)_p$/.test(textOf(v.childForFieldName('function')) ?? '')) {
    v = stripValue(v.childForFieldName('arguments')?.namedChild(0) ?? null);
  }
  return v && typeOf(v) === 'identifier' && textOf(v) !== 'NULL' ? { node: v, byAddress } : null;
}

/**
 * The member or variable an indirect call's table is reached through, from the call's
 * `x->ops->field` expression: `ops`; for `tbl[i]->field` or `(*p)->field`, `tbl` or `p`; '' when
 * the object is no plain name.
 */
export function receiverOf(field: SyntaxNode): string {
  const bare = (n: SyntaxNode | null): SyntaxNode | null => {
    while (n && typeOf(n) === 'parenthesized_expression' && n.namedChildCount === 1) n = n.namedChild(0);
    return n;
  };
  let obj = bare(field.childForFieldName('argument'));
  while (obj && (typeOf(obj) === 'subscript_expression' || typeOf(obj) === 'pointer_expression')) obj = bare(obj.childForFieldName('argument'));
  if (!obj) return '';
  if (typeOf(obj) === 'field_expression') return textOf(obj.childForFieldName('field')) ?? '';
  return typeOf(obj) === 'identifier' ? textOf(obj) : '';
}

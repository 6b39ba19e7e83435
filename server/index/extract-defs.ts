// Names out of declarations: the function a definition defines, the names a declaration
// declares, function-like macros that wrap one call, and calls inside other macro bodies.
import type { ReturnUse } from '../model';
import type { SyntaxNode } from './parser';
import { textOf, typeOf } from './use-context';

const DECLARATOR_TYPES = new Set([
  'pointer_declarator', 'attributed_declarator', 'parenthesized_declarator', 'function_declarator',
  'array_declarator', 'init_declarator',
]);

/** The declared identifier of a declarator, and whether it declares a function. */
export function declaredName(decl: SyntaxNode | null): { name: string; isFunction: boolean } | null {
  let isFunction = false;
  let n = decl;
  for (let guard = 0; n && guard < 32; guard++) {
    if (typeOf(n) === 'identifier' || typeOf(n) === 'field_identifier' || typeOf(n) === 'type_identifier') {
      return { name: textOf(n), isFunction };
    }
    if (!DECLARATOR_TYPES.has(typeOf(n))) return null;
    if (typeOf(n) === 'function_declarator') isFunction = true;
    n = n.childForFieldName('declarator') ?? n.namedChild(0);
  }
  return null;
}

/**
 * The name a function_definition defines. When an unknown attribute macro sits before the name
 * (`static int __foo_attr bar(void)`), tree-sitter reads `bar` as the type and `(void)` as a
 * parenthesized declarator: the name is then the type's text.
 */
export function definedName(def: SyntaxNode): string | null {
  const declarator = def.childForFieldName('declarator');
  const d = declaredName(declarator);
  if (d?.isFunction) return d.name;
  const type = def.childForFieldName('type');
  if (typeOf(declarator) === 'parenthesized_declarator' && type && typeOf(type) === 'type_identifier') return textOf(type);
  return null;
}

/** Parameter names, including K&R identifier lists. */
export function parameterNames(def: SyntaxNode): string[] {
  const names: string[] = [];
  let n: SyntaxNode | null = def.childForFieldName('declarator');
  for (let guard = 0; n && typeOf(n) !== 'function_declarator' && guard < 32; guard++) {
    n = n.childForFieldName('declarator') ?? n.namedChild(0);
  }
  for (const p of n?.childForFieldName('parameters')?.namedChildren ?? []) {
    if (!p) continue;
    if (typeOf(p) === 'identifier') names.push(textOf(p));
    else if (typeOf(p) === 'parameter_declaration') {
      const d = declaredName(p.childForFieldName('declarator'));
      if (d) names.push(d.name);
    }
  }
  return names;
}

const NOT_CALLS = new Set([
  'if', 'while', 'for', 'switch', 'return', 'sizeof', 'typeof', '__typeof__', '__typeof', 'do', 'defined',
  '__attribute__', 'asm', '__asm__', 'volatile', '__volatile__', 'case', 'else', 'alignof', '__alignof__',
  '_Generic', 'goto',
]);

/** The single call a function-like macro's body consists of (`__foo(x, 0)`, `(__foo(x))`), if so. */
export function wrappedCall(body: string): string | null {
  let s = body.trim().replace(/;$/, '').trim();
  for (;;) {
    if (!s.startsWith('(')) break;
    if (closing(s, 0) !== s.length - 1) break;
    s = s.slice(1, -1).trim();
  }
  const m = /^([A-Za-z_]\w*)\s*\(/.exec(s);
  if (!m || NOT_CALLS.has(m[1])) return null;
  return closing(s, m[0].length - 1) === s.length - 1 ? m[1] : null;
}

/** Index of the parenthesis closing the one at `open`, or -1. */
function closing(s: string, open: number): number {
  let depth = 0;
  for (let i = open; i < s.length; i++) {
    const c = s[i];
    if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i;
  }
  return -1;
}

/** Calls inside a macro body, with their offsets in it (strings and parameters left out). */
export function callsInMacroBody(body: string, params: Set<string>, macro: string): { name: string; offset: number; use: ReturnUse }[] {
  const text = body.replace(/"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'/g, (s) => ' '.repeat(s.length));
  const out: { name: string; offset: number; use: ReturnUse }[] = [];
  for (const m of text.matchAll(/\b([A-Za-z_]\w*)\s*\(/g)) {
    const name = m[1];
    if (NOT_CALLS.has(name) || params.has(name) || name === macro || name.startsWith('__builtin_')) continue;
    if (m.index > 0 && /[.>#]/.test(text[m.index - 1])) continue; // `ops->f(`, `x.f(`, `#x(`
    out.push({ name, offset: m.index, use: 'unknown' });
  }
  return out;
}

// The set of values a function can return, read from its source in one image of the tree (before
// or after the patch). Flow-insensitive but honest: a returned local takes every value assigned
// to it anywhere in the body (which is what follows `ret = -EIO; goto out; ... out: return ret;`),
// narrowed only by an `if` that directly guards the assignment or return (`if (ret2 < 0) ret = ret2;`).
// `return f(...)` takes f's set, recursively with a bound and a cycle cut; whatever cannot be told
// stays in the set as "unknown" with its reason.
import type { CallGraph } from '../index/graph';
import type { SyntaxNode } from '../index/parser';
import type { TreeSource } from '../tree';
import { constantOf } from './branch';
import { ParsedFiles, declaratorName, nodesIn, stripParens, type FunctionBody } from './c-syntax';
import {
  constSet, emptySet, mapValues, negate, normaliseNumber, ptrErr, testIsErr, testSign, testTruth, union, unknownSet,
  type ReturnSet, type Tri,
} from './values';

export interface ReturnSetOptions {
  /** How deep `return f(...)` is followed into callees (0: not at all). */
  maxCallDepth: number;
  /** Return sets given by the user for functions the analysis gets wrong (see overrides.ts). */
  overrides: Map<string, string[]>;
}

/** A test that narrows a variable's values: the `if` condition guarding a use of it. */
type Guard = (value: string) => Tri;

interface Locals {
  /** Per local: the expressions assigned to it, each with the guard it sits under. */
  sources: Map<string, { expr: SyntaxNode; guard: Guard | null }[]>;
  /** Per local: why some of its values cannot be told (`ret += n`, `&ret` passed away). */
  opaque: Map<string, string[]>;
  declared: Set<string>;
}

/** The guard an `if` condition puts on `name`, when the condition tests only `name`. */
export function guardOn(cond: SyntaxNode, name: string): Guard | null {
  const c = stripParens(cond);
  if (c.type === 'identifier' && c.text === name) return testTruth;
  if (c.type === 'unary_expression' && c.child(0)?.text === '!' && stripParens(c.childForFieldName('argument')!).text === name) {
    return (v) => { const t = testTruth(v); return t === null ? null : !t; };
  }
  if (c.type === 'call_expression' && /^(unlikely|likely)$/.test(c.childForFieldName('function')?.text ?? '')) {
    const arg = c.childForFieldName('arguments')?.namedChildren[0];
    return arg ? guardOn(arg, name) : null;
  }
  if (c.type === 'call_expression' && /^IS_ERR(_OR_NULL)?$/.test(c.childForFieldName('function')?.text ?? '')) {
    const arg = c.childForFieldName('arguments')?.namedChildren[0];
    return arg && stripParens(arg).text === name ? testIsErr : null;
  }
  if (c.type === 'binary_expression') {
    const l = stripParens(c.childForFieldName('left')!), r = stripParens(c.childForFieldName('right')!);
    const op = c.childForFieldName('operator')?.text ?? c.child(1)?.text;
    if (l.text !== name || r.text !== '0') return null;
    if (op === '<') return (v) => testSign(v, '<0');
    if (op === '>=') return (v) => testSign(v, '>=0');
    if (op === '>') return (v) => testSign(v, '>0');
    if (op === '<=') return (v) => testSign(v, '<=0');
    if (op === '!=') return testTruth;
    if (op === '==') return (v) => { const t = testTruth(v); return t === null ? null : !t; };
  }
  return null;
}

/** The guard on `name` of the `if` whose consequence is `stmt` (directly or as a statement of its block). */
function guardAbove(stmt: SyntaxNode, name: string): Guard | null {
  let s: SyntaxNode | null = stmt;
  let p = s.parent;
  if (p?.type === 'compound_statement') { s = p; p = p.parent; }
  if (p?.type !== 'if_statement' || p.childForFieldName('consequence')?.id !== s.id) return null;
  const cond = p.childForFieldName('condition');
  return cond ? guardOn(cond, name) : null;
}

function narrow(set: ReturnSet, guard: Guard | null): ReturnSet {
  return guard ? mapValues(set, (v) => (guard(v) === false ? null : v)) : set;
}

function collectLocals(fn: FunctionBody): Locals {
  const locals: Locals = { sources: new Map(), opaque: new Map(), declared: new Set() };
  const addSource = (name: string, expr: SyntaxNode, guard: Guard | null) =>
    locals.sources.set(name, [...(locals.sources.get(name) ?? []), { expr, guard }]);
  const addOpaque = (name: string, why: string) => locals.opaque.set(name, [...(locals.opaque.get(name) ?? []), why]);
  const visit = (n: SyntaxNode): void => {
    if (n.type === 'declaration') {
      for (const d of n.childrenForFieldName('declarator')) {
        const name = declaratorName(d);
        if (!name) continue;
        locals.declared.add(name);
        const value = d.type === 'init_declarator' ? d.childForFieldName('value') : null;
        if (value) addSource(name, value, null);
      }
    } else if (n.type === 'assignment_expression') {
      const left = stripParens(n.childForFieldName('left')!);
      const right = n.childForFieldName('right');
      const op = n.childForFieldName('operator')?.text ?? '=';
      if (left.type === 'identifier' && right) {
        if (op === '=') {
          const r = stripParens(right);
          addSource(left.text, right, n.parent ? guardAbove(n.parent, r.type === 'identifier' ? r.text : '') : null);
        } else addOpaque(left.text, `${left.text} ${op} ...`);
      }
    } else if (n.type === 'update_expression') {
      const arg = n.childForFieldName('argument');
      if (arg?.type === 'identifier') addOpaque(arg.text, `${arg.text} is incremented or decremented`);
    } else if (n.type === 'pointer_expression' && n.child(0)?.text === '&') {
      const arg = stripParens(n.childForFieldName('argument')!);
      if (arg.type === 'identifier') addOpaque(arg.text, `&${arg.text} is passed away`);
    }
    for (const c of n.namedChildren) visit(c);
  };
  visit(fn.body);
  return locals;
}

/**
 * Codes an assignment to `name` can produce that a following test sends elsewhere before the
 * local is assigned again: `written = f(); if (written) { if (written == -EBUSY) return 0; ...`
 * means f's -EBUSY never leaves through `return written;`. A line-order approximation (the test
 * between this assignment and the next one, its branch starting with a return), which is how
 * kernel code handles a code it does not pass on.
 */
function caughtAfter(fn: FunctionBody, name: string, expr: SyntaxNode, all: SyntaxNode[]): Set<string> {
  const out = new Set<string>();
  const from = expr.startPosition.row;
  const next = Math.min(...all.map((e) => e.startPosition.row).filter((r) => r > from), Infinity);
  for (const t of nodesIn(fn, 'if_statement')) {
    const row = t.startPosition.row;
    if (row <= from || row >= next) continue;
    const cond = stripParens(t.childForFieldName('condition')!);
    if (cond.type !== 'binary_expression' || (cond.childForFieldName('operator')?.text ?? cond.child(1)?.text) !== '==') continue;
    const l = stripParens(cond.childForFieldName('left')!), r = stripParens(cond.childForFieldName('right')!);
    const [, other] = l.text === name ? [l, r] : r.text === name ? [r, l] : [null, null];
    const code = other ? constantOf(other) : null;
    const cons = t.childForFieldName('consequence');
    const first = cons?.type === 'compound_statement' ? cons.namedChildren.find((c) => c.type !== 'comment') : cons;
    if (code && first?.type === 'return_statement' && stripParens(first.namedChildren[0] ?? first).text !== name) out.add(code);
  }
  return out;
}

/** Whether a definition returns nothing: `void f(...)` (but not `void *f(...)`). */
function returnsVoid(fn: FunctionBody): boolean {
  if (fn.node.type !== 'function_definition') return false;
  const type = fn.node.childForFieldName('type')?.text;
  return type === 'void' && fn.node.childForFieldName('declarator')?.type === 'function_declarator';
}

/** Computes return sets, memoised per image, file and function for one analysis run. */
export class ReturnSets {
  private memo = new Map<string, Promise<ReturnSet | null>>();
  private localsOf = new Map<FunctionBody, Locals>();
  private active = new Set<string>();

  constructor(private graph: CallGraph, private files: ParsedFiles, private opts: ReturnSetOptions) {}

  /**
   * The return set of `name` defined in `file` in the given image; null when the function is not
   * defined there (deleted by the patch, or a wrong file). A void function has the empty set.
   */
  of(source: TreeSource, file: string, name: string, depth = this.opts.maxCallDepth): Promise<ReturnSet | null> {
    const key = `${source.description}\0${file}\0${name}`;
    let p = this.memo.get(key);
    if (!p) {
      p = this.compute(source, file, name, depth, key);
      this.memo.set(key, p);
    }
    return p;
  }

  private async compute(source: TreeSource, file: string, name: string, depth: number, key: string): Promise<ReturnSet | null> {
    // #ifdef/#else may give a function two bodies: it can return what either returns.
    const bodies = await this.bodies(source, file, name);
    if (bodies.length === 0) return null;
    this.active.add(key);
    try {
      const sets: ReturnSet[] = [];
      for (const fn of bodies) {
        if (returnsVoid(fn)) continue;
        for (const ret of nodesIn(fn, 'return_statement')) {
          const expr = ret.namedChildren.find((c) => c.type !== 'comment');
          if (!expr) continue;
          const e = stripParens(expr);
          const guard = e.type === 'identifier' ? guardAbove(ret, e.text) : null;
          sets.push(narrow(await this.expr(source, fn, expr, depth, new Set()), guard));
        }
      }
      return union(...sets);
    } finally {
      this.active.delete(key);
    }
  }

  /**
   * Every definition of `name` in one image of a file: each parsed alone from the lines the
   * file's index gives it, or from the whole file when the index does not know it.
   */
  private async bodies(source: TreeSource, file: string, name: string): Promise<FunctionBody[]> {
    const defs = (await this.files.index(source, file, this.graph))?.functions.filter((f) => f.name === name) ?? [];
    const out: FunctionBody[] = [];
    for (const d of defs) {
      const body = await this.files.functionIn(source, file, name, d.line, d.endLine);
      if (body && !out.includes(body)) out.push(body);
    }
    return out.length > 0 ? out : this.files.definitionsOf(source, file, name);
  }

  private locals(fn: FunctionBody): Locals {
    let l = this.localsOf.get(fn);
    if (!l) { l = collectLocals(fn); this.localsOf.set(fn, l); }
    return l;
  }

  /** The values an expression can have in `fn`. `visiting` cuts cycles between locals. */
  private async expr(source: TreeSource, fn: FunctionBody, node: SyntaxNode, depth: number, visiting: Set<string>): Promise<ReturnSet> {
    const n = stripParens(node);
    const text = n.text.replace(/\s+/g, ' ');
    switch (n.type) {
      case 'number_literal': return constSet(normaliseNumber(n.text));
      case 'null': return constSet('NULL');
      case 'true': case 'false': return constSet(n.type);
      case 'identifier': return this.identifier(source, fn, n.text, depth, visiting);
      case 'cast_expression': return this.expr(source, fn, n.childForFieldName('value')!, depth, visiting);
      case 'comma_expression': return this.expr(source, fn, n.childForFieldName('right')!, depth, visiting);
      case 'conditional_expression': {
        const whenTrue = n.childForFieldName('consequence') ?? n.childForFieldName('condition')!; // GNU `a ?: b`
        return union(await this.expr(source, fn, whenTrue, depth, visiting), await this.expr(source, fn, n.childForFieldName('alternative')!, depth, visiting));
      }
      case 'unary_expression': {
        const op = n.child(0)?.text;
        const arg = n.childForFieldName('argument')!;
        if (op === '!') return constSet('0', '1');
        if (op === '+') return this.expr(source, fn, arg, depth, visiting);
        if (op === '-') {
          const inner = await this.expr(source, fn, arg, depth, visiting);
          const out = mapValues(inner, negate);
          if (out.values.size < inner.values.size) out.unknown.push(`-(${arg.text})`);
          return out;
        }
        return unknownSet(`\`${text}\``);
      }
      case 'binary_expression': {
        const op = n.childForFieldName('operator')?.text ?? n.child(1)?.text ?? '';
        if (['==', '!=', '<', '>', '<=', '>=', '&&', '||'].includes(op)) return constSet('0', '1');
        return unknownSet(`\`${text}\` is computed`);
      }
      case 'call_expression': return this.call(source, fn, n, depth, visiting);
      default: return unknownSet(`\`${text}\``);
    }
  }

  private async identifier(source: TreeSource, fn: FunctionBody, name: string, depth: number, visiting: Set<string>): Promise<ReturnSet> {
    const locals = this.locals(fn);
    if (locals.declared.has(name) || locals.sources.has(name)) {
      if (visiting.has(name)) return emptySet(); // a cycle adds nothing the other assignments do not
      const inner = new Set(visiting).add(name);
      const parts: ReturnSet[] = [];
      const sources = locals.sources.get(name) ?? [];
      for (const s of sources) {
        const caught = caughtAfter(fn, name, s.expr, sources.map((o) => o.expr));
        const set = narrow(await this.expr(source, fn, s.expr, depth, inner), s.guard);
        parts.push(caught.size ? mapValues(set, (v) => (caught.has(v) ? null : v)) : set);
      }
      for (const why of locals.opaque.get(name) ?? []) parts.push(unknownSet(why));
      if (parts.length === 0) parts.push(unknownSet(`${name} is never assigned here`));
      return union(...parts);
    }
    if (fn.params.has(name)) return unknownSet(`parameter ${name}`);
    if (/^[A-Z][A-Z0-9_]*$/.test(name)) return constSet(name); // a macro constant, kept by name
    return unknownSet(`global ${name}`);
  }

  private async call(source: TreeSource, fn: FunctionBody, n: SyntaxNode, depth: number, visiting: Set<string>): Promise<ReturnSet> {
    const callee = stripParens(n.childForFieldName('function')!);
    const args = n.childForFieldName('arguments')?.namedChildren.filter((a) => a.type !== 'comment') ?? [];
    if (callee.type === 'field_expression') {
      return unknownSet(`->${callee.childForFieldName('field')?.text ?? '?'}() is an indirect call`);
    }
    if (callee.type !== 'identifier') return unknownSet(`\`${n.text.replace(/\s+/g, ' ')}\``);
    const name = callee.text;
    const arg0 = () => (args[0] ? this.expr(source, fn, args[0], depth, visiting) : Promise.resolve(unknownSet(`${name}() without argument`)));
    if (name === 'ERR_PTR') return mapValues(await arg0(), (v) => `ERR_PTR(${v})`);
    if (name === 'PTR_ERR') return ptrErr(await arg0());
    if (name === 'ERR_CAST' || name === 'likely' || name === 'unlikely') return arg0();
    return this.callee(source, fn.file, name, depth);
  }

  /** The set of a called function: from the overrides, else its definition, within the bound. */
  async callee(source: TreeSource, fromFile: string, name: string, depth: number): Promise<ReturnSet> {
    const given = this.opts.overrides.get(name);
    if (given) return { values: new Set(given.filter((v) => v !== 'unknown')), unknown: given.includes('unknown') ? [`${name}() (overrides file)`] : [] };
    if (depth <= 0) return unknownSet(`${name}() is beyond the call depth bound`);
    const defs = await this.graph.definitions(name);
    const def = defs.find((d) => d.file === fromFile) ?? defs.find((d) => !d.isStatic) ?? defs[0];
    if (!def) return unknownSet(`${name}() has no definition in the tree`);
    const key = `${source.description}\0${def.file}\0${name}`;
    if (this.active.has(key)) return unknownSet(`${name}() is recursive`);
    const set = this.memo.has(key) ? await this.memo.get(key)! : await this.of(source, def.file, name, depth - 1);
    return set ?? unknownSet(`${name}() is not found in ${def.file}`);
  }
}

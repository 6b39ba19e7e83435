// What the code around a value does with it: the design's caller-verdict table applied to the
// syntax around one call (or one read of a local that holds a call's value). The indexer keeps
// the path from the root to the current node as frames, so this climbs frames, never `.parent`.
import type { ReturnUse } from '../model';
import type { SyntaxNode } from './parser';

/** One arm of a branch (if/else arm, loop body, case, #if branch). Compared by identity. */
export interface Branch {
  /** Locals for which this arm is taken when they hold an error (`if (ret)` / `if (ret < 0)`). */
  errorVars?: Set<string>;
}

/** An assignment of a local (or its initialisation) that a value can land in. */
export interface DefEvent {
  kind: 'def';
  name: string;
  /** Offset just after the assignment: reads after it see the new value. */
  pos: number;
  chain: Branch[];
  /** Plain `=` or an initialiser replaces the old value; `+=` and friends do not. */
  killing: boolean;
}

/** A node on the path from the root to the node being visited. */
export interface Frame {
  /** Kept only for the node types whose insides are looked at (see `nodeOf`): a speed matter. */
  node: SyntaxNode | null;
  type: string;
  /** Index among the parent's named children. */
  index: number;
  /** Named children seen so far (the next child's index). */
  named: number;
  /** The field under which this node sits in its parent (`condition`, `right`, ...). */
  field: string | null;
  /** The branch arms enclosing this node, innermost last. */
  chain: Branch[];
  /** For an assignment or initialiser of a local: the def it makes. */
  def?: DefEvent;
  /** The node's operator, once asked for (see `frameOperator`): each ask crosses into WASM. */
  op?: string;
  /** For a call: the called name when it is a plain identifier (see `frameCallee`). */
  callee?: string | null;
}

/** What the surroundings do with a value. */
export interface UseContext {
  uses: ReturnUse[];
  compared: string[];
  /** The local the value lands in (followed by the function's flow). */
  landing?: DefEvent;
  /** The value is only dereferenced (`p->x`, `*p`, `p[i]`): not a use of it as a code. */
  deref?: boolean;
}

/** Calls whose first argument is a condition: the value is only tested for truth. */
const CONDITION_WRAPPERS = new Set([
  'likely', 'unlikely', '__builtin_expect', 'WARN_ON', 'WARN_ON_ONCE', 'WARN_ON_SMP', 'BUG_ON', 'WARN',
  'WARN_ONCE', 'WARN_RATELIMIT', 'VM_BUG_ON', 'J_ASSERT', 'BUG_ON_ONCE',
]);
const IS_ERR_TESTS = new Set(['IS_ERR', 'IS_ERR_OR_NULL', 'IS_ERR_VALUE']);
/** Calls that hand the error code on unchanged (pointer <-> errno conversions). */
export const TRANSPARENT_CALLS = new Set(['PTR_ERR', 'ERR_PTR', 'ERR_CAST', 'PTR_ERR_OR_ZERO']);
/** Printing a value changes no behaviour: not a `passed` use (that would flag every printk). */
const LOGGING = /^(?:printk|printf|v?s?n?printf|scnprintf|pr_\w+|dev_(?:err|warn|info|dbg|notice|crit|alert|emerg|printk)\w*|netdev_\w+|netif_\w+|\w*_debug|\w*dprintk|dfprintk|\w*_dbg|\w*printk\w*|jbd_debug|trace_\w+|WARN|WARN_ONCE|ext\d_(?:warning|msg)|seq_printf|audit_log\w*|BUG|panic)$/;

const TYPE = Symbol('type');
const TEXT = Symbol('text');
type Memo = SyntaxNode & { [TYPE]?: string; [TEXT]?: string };

/**
 * A node's type, asked of WASM once per node object: `node.type` crosses into WASM on every
 * read, and the same node is asked many times (stripValue, functionValue, guardsOf, ...).
 */
export function typeOf(node: SyntaxNode): string;
export function typeOf(node: SyntaxNode | null | undefined): string | undefined;
export function typeOf(node: SyntaxNode | null | undefined): string | undefined {
  if (!node) return undefined;
  const m = node as Memo;
  return (m[TYPE] ??= node.type);
}

/** A node's text, read once per node object (see `typeOf`). */
export function textOf(node: SyntaxNode): string;
export function textOf(node: SyntaxNode | null | undefined): string | undefined;
export function textOf(node: SyntaxNode | null | undefined): string | undefined {
  if (!node) return undefined;
  const m = node as Memo;
  return (m[TEXT] ??= node.text);
}

/** Records a type the walker already knows (from its cursor), so that no one asks WASM for it. */
export function knownType(node: SyntaxNode, type: string): SyntaxNode {
  (node as Memo)[TYPE] = type;
  return node;
}

/** The frame's node; the walker keeps it for every type this module looks into. */
export function nodeOf(frame: Frame): SyntaxNode {
  if (!frame.node) throw new Error(`internal: no syntax node kept for ${frame.type}`);
  return frame.node;
}

export function calleeName(call: SyntaxNode): string | null {
  const fn = call.childForFieldName('function');
  return fn && typeOf(fn) === 'identifier' ? textOf(fn) : null;
}

function operatorOf(node: SyntaxNode): string {
  return textOf(node.childForFieldName('operator')) ?? '';
}

/** The plain name a call frame calls, asked once: every argument's context asks it. */
function frameCallee(frame: Frame): string | null {
  if (frame.callee === undefined) frame.callee = calleeName(nodeOf(frame));
  return frame.callee;
}

/** The operator of a frame's node, asked once: many reads and calls sit under the same one. */
export function frameOperator(frame: Frame): string {
  return (frame.op ??= operatorOf(nodeOf(frame)));
}

/** Strips parentheses and non-void casts: the value inside. */
export function stripValue(node: SyntaxNode | null): SyntaxNode | null {
  while (node && (typeOf(node) === 'parenthesized_expression' || typeOf(node) === 'cast_expression')) {
    node = typeOf(node) === 'cast_expression' ? node.childForFieldName('value') : node.namedChild(0);
  }
  return node;
}

function isZero(node: SyntaxNode | null): boolean {
  const v = stripValue(node);
  return !!v && (typeOf(v) === 'null' || /^(?:0[xX]?0*[uUlL]*|NULL|false)$/.test(textOf(v)));
}

/** The caller's own constant: a literal, an ALL_CAPS constant, -ECODE, NULL, ERR_PTR(-ECODE). */
export function isOwnCode(node: SyntaxNode | null): boolean {
  const v = stripValue(node);
  if (!v) return false;
  switch (typeOf(v)) {
    case 'number_literal': case 'null': case 'true': case 'false': case 'char_literal': return true;
    case 'identifier': return /^[A-Z][A-Z0-9_]*$/.test(textOf(v));
    case 'unary_expression': return operatorOf(v) === '-' && isOwnCode(v.childForFieldName('argument'));
    case 'call_expression': {
      const name = calleeName(v);
      return (name === 'ERR_PTR' || name === 'ERR_CAST') && isOwnCode(v.childForFieldName('arguments')?.namedChild(0) ?? null);
    }
    default: return false;
  }
}

function statements(stmt: SyntaxNode | null): SyntaxNode[] {
  if (!stmt) return [];
  if (typeOf(stmt) === 'else_clause') return statements(stmt.namedChild(0));
  if (typeOf(stmt) === 'compound_statement') return stmt.namedChildren.filter((c): c is SyntaxNode => !!c && typeOf(c) !== 'comment');
  return [stmt];
}

/** The arm replaces the value by the caller's own code: `return -EIO;` or `x = -EIO;`. */
export function replacesWithOwnCode(arm: SyntaxNode | null): boolean {
  return statements(arm).some((s) => {
    if (typeOf(s) === 'return_statement') return isOwnCode(s.namedChild(0));
    if (typeOf(s) !== 'expression_statement') return false;
    const e = s.namedChild(0);
    // `page = NULL;` in the arm is cleanup, not a code that replaces the value.
    if (!e || typeOf(e) !== 'assignment_expression' || operatorOf(e) !== '=') return false;
    const right = stripValue(e.childForFieldName('right'));
    return isOwnCode(right) && typeOf(right) !== 'null' && textOf(right) !== 'NULL';
  });
}

/** The arm always leaves the function or jumps (`return ...;`, `goto out;`). */
export function leaves(arm: SyntaxNode | null): boolean {
  const s = statements(arm);
  const last = s[s.length - 1];
  return !!last && (typeOf(last) === 'return_statement' || typeOf(last) === 'goto_statement');
}

/**
 * Locals tested by an `if` condition, with whether the `then` arm is taken when they hold an
 * error (`ret`, `ret < 0`, `IS_ERR(p)`: error) or when they do not (`!ret`, `ret >= 0`).
 */
export function guardsOf(cond: SyntaxNode | null, negated = false, out = new Map<string, boolean>()): Map<string, boolean> {
  const n = cond;
  if (!n) return out;
  switch (typeOf(n)) {
    case 'parenthesized_expression': return guardsOf(n.namedChild(0), negated, out);
    case 'identifier': out.set(textOf(n), !negated); return out;
    case 'assignment_expression': {
      const left = n.childForFieldName('left');
      if (left && typeOf(left) === 'identifier' && operatorOf(n) === '=') out.set(textOf(left), !negated);
      return out;
    }
    case 'unary_expression':
      return operatorOf(n) === '!' ? guardsOf(n.childForFieldName('argument'), !negated, out) : out;
    case 'binary_expression': {
      const op = operatorOf(n);
      const left = n.childForFieldName('left');
      const right = n.childForFieldName('right');
      if (op === '||' && !negated) { guardsOf(left, false, out); return guardsOf(right, false, out); }
      if (!isZero(right)) return out;
      if (op === '!=' || op === '<' || op === '<=') return guardsOf(left, negated, out);
      if (op === '==' || op === '>=' || op === '>') return guardsOf(left, !negated, out);
      return out;
    }
    case 'call_expression': {
      const name = calleeName(n);
      const arg = n.childForFieldName('arguments')?.namedChild(0) ?? null;
      if (name && (CONDITION_WRAPPERS.has(name) || IS_ERR_TESTS.has(name))) return guardsOf(arg, negated, out);
      return out;
    }
    default: return out;
  }
}

/**
 * After a check (truth, sign, is-err) of the value at frames[c]: does the enclosing condition
 * replace it by the caller's own code on the error side? Climbs through `!`, `&&`, `||`,
 * parentheses and likely()/WARN_ON() to the `if` or `?:` the check decides.
 */
function overwrittenAfterCheck(frames: Frame[], c: number, errorWhenTrue: boolean): boolean {
  let errorTaken = errorWhenTrue;
  for (let i = c; i > 0; i--) {
    const parent = frames[i - 1];
    const field = frames[i].field;
    switch (parent.type) {
      case 'parenthesized_expression': continue;
      case 'unary_expression': if (frameOperator(parent) !== '!') return false; errorTaken = !errorTaken; continue;
      case 'binary_expression': { const op = frameOperator(parent); if (op === '&&' || op === '||') continue; return false; }
      case 'argument_list': {
        const name = i >= 2 && frames[i - 2].type === 'call_expression' ? frameCallee(frames[i - 2]) : null;
        if (name && CONDITION_WRAPPERS.has(name) && frames[i].index === 0) { i--; continue; }
        return false;
      }
      case 'if_statement':
        if (field !== 'condition') return false;
        return replacesWithOwnCode(nodeOf(parent).childForFieldName(errorTaken ? 'consequence' : 'alternative'));
      case 'conditional_expression':
        if (field !== 'condition') return false;
        return isOwnCode(nodeOf(parent).childForFieldName('consequence')) && isOwnCode(nodeOf(parent).childForFieldName('alternative'));
      default: return false;
    }
  }
  return false;
}

function check(ctx: UseContext, use: ReturnUse, frames: Frame[], c: number, errorWhenTrue: boolean): UseContext {
  ctx.uses.push(use);
  if (overwrittenAfterCheck(frames, c, errorWhenTrue)) ctx.uses.push('overwritten');
  return ctx;
}

function compact(text: string): string {
  return text.replace(/\s+/g, '').replace(/^\((.*)\)$/, '$1');
}

function caseLabels(sw: SyntaxNode): string[] {
  const labels: string[] = [];
  for (const c of sw.childForFieldName('body')?.namedChildren ?? []) {
    const v = typeOf(c) === 'case_statement' ? c.childForFieldName('value') : null;
    if (v) labels.push(compact(textOf(v)));
  }
  return labels;
}

/**
 * The use of the value of frames[k] (a call, or a read of a local). `isLocal` tells locals of
 * the enclosing function from globals.
 */
export function contextOf(frames: Frame[], k: number, isLocal: (name: string) => boolean): UseContext {
  const ctx: UseContext = { uses: [], compared: [] };
  for (let i = k; i > 0; i--) {
    const parent = frames[i - 1];
    const field = frames[i].field;
    switch (parent.type) {
      case 'parenthesized_expression': continue;
      case 'cast_expression': {
        if (field !== 'value') break;
        const type = nodeOf(parent).childForFieldName('type');
        if (type && /^void$/.test(compact(textOf(type)))) { ctx.uses.push('ignored'); return ctx; }
        continue;
      }
      case 'conditional_expression':
        if (field === 'condition') {
          ctx.uses.push('truth-checked');
          if (isOwnCode(nodeOf(parent).childForFieldName('consequence')) && isOwnCode(nodeOf(parent).childForFieldName('alternative'))) ctx.uses.push('overwritten');
          return ctx;
        }
        continue;
      case 'comma_expression':
        if (field === 'left') { ctx.uses.push('ignored'); return ctx; }
        continue;
      case 'unary_expression':
        if (frameOperator(parent) === '!') return check(ctx, 'truth-checked', frames, i - 1, false);
        break;
      case 'pointer_expression':
        if (frameOperator(parent) === '*') { ctx.deref = true; return ctx; }
        break;
      case 'field_expression': ctx.deref = true; return ctx;
      case 'subscript_expression':
        if (field === 'argument') { ctx.deref = true; return ctx; }
        break;
      case 'binary_expression': {
        const op = frameOperator(parent);
        const other = nodeOf(parent).childForFieldName(field === 'left' ? 'right' : 'left');
        if (op === '&&' || op === '||') return check(ctx, 'truth-checked', frames, i - 1, true);
        if (op === '==' || op === '!=') {
          if (isZero(other)) return check(ctx, 'truth-checked', frames, i - 1, op === '!=');
          ctx.uses.push('compared');
          if (other) ctx.compared.push(compact(textOf(other)));
          return ctx;
        }
        if (op === '<' || op === '>' || op === '<=' || op === '>=') {
          // As if written `value OP other`: `0 > ret` is `ret < 0`.
          const asLeft = field === 'left' ? op : ({ '<': '>', '>': '<', '<=': '>=', '>=': '<=' } as Record<string, string>)[op];
          if (isZero(other)) return check(ctx, 'sign-checked', frames, i - 1, asLeft === '<' || asLeft === '<=');
          // An ordering against something else (`ret > 1`, `i < nr`): the operator is kept with
          // the operand so that the impact can tell it from an equality with an errno.
          ctx.uses.push('compared');
          if (other) ctx.compared.push(`${asLeft} ${compact(textOf(other))}`);
          return ctx;
        }
        break;
      }
      case 'argument_list': {
        if (i < 2 || frames[i - 2].type !== 'call_expression') break;
        const name = frameCallee(frames[i - 2]);
        const isFirst = frames[i].index === 0;
        if (name && isFirst && CONDITION_WRAPPERS.has(name)) return check(ctx, 'truth-checked', frames, i - 2, true);
        if (name && isFirst && IS_ERR_TESTS.has(name)) return check(ctx, 'is-err', frames, i - 2, true);
        if (name && TRANSPARENT_CALLS.has(name)) { i--; continue; }
        if (name && LOGGING.test(name)) return ctx;
        ctx.uses.push('passed');
        return ctx;
      }
      case 'assignment_expression': {
        if (field !== 'right') break;
        const left = stripValue(nodeOf(parent).childForFieldName('left'));
        if (left && typeOf(left) === 'identifier' && isLocal(textOf(left))) {
          if (!parent.def) { ctx.uses.push('unknown'); return ctx; }
          if (parent.def.killing) ctx.landing = parent.def;
          else ctx.uses.push('unknown'); // `count += f()`: the code is mixed into a sum
        } else {
          ctx.uses.push('stored');
        }
        // `if ((ret = f()) < 0)`: the assignment's own value is used too.
        if (i >= 2 && frames[i - 2].type === 'expression_statement') return ctx;
        continue;
      }
      case 'init_declarator':
        if (field !== 'value') break;
        if (parent.def) ctx.landing = parent.def;
        else ctx.uses.push('stored');
        return ctx;
      case 'return_statement': ctx.uses.push('propagated'); return ctx;
      case 'expression_statement': ctx.uses.push('ignored'); return ctx;
      case 'if_statement': case 'while_statement': case 'do_statement':
        if (field !== 'condition') break;
        return check(ctx, 'truth-checked', frames, i, true);
      case 'for_statement':
        if (field === 'condition') return check(ctx, 'truth-checked', frames, i, true);
        if (field === 'initializer' || field === 'update') { ctx.uses.push('ignored'); return ctx; }
        break;
      case 'switch_statement':
        if (field !== 'condition') break;
        ctx.uses.push('compared');
        ctx.compared.push(...caseLabels(nodeOf(parent)));
        return ctx;
      case 'initializer_list': case 'initializer_pair': ctx.uses.push('stored'); return ctx;
      case 'sizeof_expression': ctx.uses.push('ignored'); return ctx;
      default: break;
    }
    ctx.uses.push('unknown');
    return ctx;
  }
  ctx.uses.push('unknown');
  return ctx;
}

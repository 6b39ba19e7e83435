// Finds the test a caller applies to a returned value (`if (written == -EBUSY)`, `if (ret < 0)`,
// `case -EIO:`), tells whether its outcome changes between the old and the new values, and says
// what the branch does, in words taken from the source: the statement it runs and the comment
// that explains it. This is what turns "compared" into "`written == -EBUSY` now true: returns 0".
import type { SyntaxNode } from '../index/parser';
import { nodesIn, oneLine, stripParens, type FunctionBody } from './c-syntax';
import { isErrno, normaliseNumber, testIsErr, testSign, testTruth, type Tri } from './values';

/** What the returned value is called in the caller: the local it landed in, or the call itself. */
export interface Subject {
  local?: string;
  callee: string;
  /** For a call through an ops field: the field (".aio_write"). */
  via?: string | null;
  /** 1-based line of the call. */
  line: number;
}

export interface BranchChange {
  /** The test as written, on one line: `written == -EBUSY`. */
  condition: string;
  /** 1-based line of the test. */
  line: number;
  was: Tri;
  now: Tri;
  /** What runs now that did not before: "returns 0", "jumps to out". */
  does: string;
  /** The comment that explains the branch, when there is one. */
  comment?: string;
  /** Constants the newly taken branch returns, when it returns one directly. */
  returns?: string[];
}

const CONDITIONS = ['if_statement', 'while_statement', 'do_statement', 'conditional_expression', 'switch_statement'];

function isSubject(n: SyntaxNode, s: Subject): boolean {
  const m = stripParens(n);
  if (m.type === 'identifier') return m.text === s.local;
  if (m.type === 'call_expression') {
    const f = stripParens(m.childForFieldName('function')!);
    const name = f.type === 'field_expression' ? `.${f.childForFieldName('field')?.text}` : f.text;
    return (name === s.callee || (!!s.via && name === s.via)) && m.startPosition.row + 1 === s.line;
  }
  if (m.type === 'assignment_expression') return isSubject(m.childForFieldName('left')!, s) || isSubject(m.childForFieldName('right')!, s);
  if (m.type === 'cast_expression') return isSubject(m.childForFieldName('value')!, s);
  return false;
}

function mentions(n: SyntaxNode, s: Subject): boolean {
  if (isSubject(n, s)) return true;
  return n.namedChildren.some((c) => mentions(c, s));
}

/** A constant as the value vocabulary writes it ("-EBUSY", "0"), or null for anything else. */
export function constantOf(n: SyntaxNode): string | null {
  const m = stripParens(n);
  if (m.type === 'number_literal') return normaliseNumber(m.text);
  if (m.type === 'null') return 'NULL';
  if (m.type === 'unary_expression' && m.child(0)?.text === '-') {
    const a = stripParens(m.childForFieldName('argument')!);
    if (a.type === 'number_literal') return `-${normaliseNumber(a.text)}`;
    if (a.type === 'identifier' && /^E[A-Z0-9]+$/.test(a.text)) return `-${a.text}`;
  }
  if (m.type === 'identifier' && /^[A-Z][A-Z0-9_]*$/.test(m.text)) return m.text;
  return null;
}

const not = (t: Tri): Tri => (t === null ? null : !t);

/** The outcome of a condition when the subject holds `v`; null when it cannot be told. */
export function evalCondition(n: SyntaxNode, s: Subject, v: string): Tri {
  const c = stripParens(n);
  if (isSubject(c, s)) return testTruth(v);
  if (c.type === 'unary_expression' && c.child(0)?.text === '!') return not(evalCondition(c.childForFieldName('argument')!, s, v));
  if (c.type === 'call_expression') {
    const fn = c.childForFieldName('function')?.text ?? '';
    const arg = c.childForFieldName('arguments')?.namedChildren[0];
    if (arg && /^(likely|unlikely|WARN_ON|WARN_ON_ONCE|BUG_ON)$/.test(fn)) return evalCondition(arg, s, v);
    if (arg && /^IS_ERR(_OR_NULL)?$/.test(fn) && isSubject(arg, s)) return testIsErr(v);
    return null;
  }
  if (c.type !== 'binary_expression') return null;
  const op = c.childForFieldName('operator')?.text ?? c.child(1)?.text ?? '';
  const l = c.childForFieldName('left')!, r = c.childForFieldName('right')!;
  if (op === '&&' || op === '||') {
    const a = evalCondition(l, s, v), b = evalCondition(r, s, v);
    if (op === '&&') return a === false || b === false ? false : a === true && b === true ? true : null;
    return a === true || b === true ? true : a === false && b === false ? false : null;
  }
  const [subj, other, flipped] = isSubject(l, s) ? [l, r, false] : isSubject(r, s) ? [r, l, true] : [null, null, false];
  if (!subj || !other) return null;
  const k = constantOf(other);
  if (k === null) return null;
  if (op === '==' || op === '!=') {
    // Distinct constants are distinct values; a value the analysis only knows by class is not.
    const known = /^-?[0-9]+$/.test(v) || isErrno(v) || v === 'NULL';
    const eq = v === k ? true : known && (/^-?[0-9]+$/.test(k) || isErrno(k) || k === 'NULL') ? false : null;
    return op === '==' ? eq : not(eq);
  }
  if (k !== '0') return null;
  const rel = (flipped ? { '<': '>', '>': '<', '<=': '>=', '>=': '<=' }[op] : op) as string;
  if (rel === '<') return testSign(v, '<0');
  if (rel === '>=') return testSign(v, '>=0');
  if (rel === '>') return testSign(v, '>0');
  if (rel === '<=') return testSign(v, '<=0');
  return null;
}

function commentText(n: SyntaxNode): string {
  return oneLine(n.text.replace(/^\/\*+|\*+\/$|^\/\//g, '').replace(/\n\s*\*/g, ' '));
}

/** What a statement does, in a few words taken from it. */
export function describeStatement(n: SyntaxNode | null): string {
  if (!n) return 'continues';
  switch (n.type) {
    case 'return_statement': {
      const e = n.namedChildren.find((c) => c.type !== 'comment');
      return e ? `returns ${oneLine(e.text)}` : 'returns';
    }
    case 'goto_statement': return `jumps to ${n.childForFieldName('label')?.text ?? 'a label'}`;
    case 'break_statement': return 'breaks out';
    case 'continue_statement': return 'continues the loop';
    case 'compound_statement': {
      const body = n.namedChildren.filter((c) => c.type !== 'comment' && c.type !== 'declaration').slice(0, 2);
      return body.length ? body.map(describeStatement).join(', then ') : 'does nothing';
    }
    case 'expression_statement': {
      const e = n.namedChildren[0];
      if (e?.type === 'assignment_expression') return `sets ${oneLine(e.text)}`;
      if (e?.type === 'call_expression') return `calls ${e.childForFieldName('function')?.text ?? '?'}()`;
      return `runs \`${oneLine(n.text).slice(0, 60)}\``;
    }
    case 'if_statement': return `tests \`${oneLine(stripParens(n.childForFieldName('condition')!).text)}\``;
    case 'else_clause': return describeStatement(n.namedChildren.find((c) => c.type !== 'comment') ?? null);
    default: return `runs \`${oneLine(n.text).slice(0, 60)}\``;
  }
}

function firstReturnConstants(n: SyntaxNode | null): string[] | undefined {
  if (!n) return undefined;
  const first = n.type === 'compound_statement' ? n.namedChildren.find((c) => c.type !== 'comment') : n;
  if (first?.type !== 'return_statement') return undefined;
  const e = first.namedChildren.find((c) => c.type !== 'comment');
  const k = e ? constantOf(e) : null;
  return k === null ? undefined : [k];
}

/** The comment right before a statement; for the first statement of an if's block, the one before that if. */
function prevComment(n: SyntaxNode): SyntaxNode | null {
  for (let s: SyntaxNode | null = n, hops = 0; s && hops < 3; hops++) {
    if (s.previousNamedSibling?.type === 'comment') return s.previousNamedSibling;
    if (s.previousNamedSibling || s.parent?.type !== 'compound_statement' || s.parent.parent?.type !== 'if_statement') return null;
    s = s.parent.parent;
  }
  return null;
}
const innerComment = (n: SyntaxNode | null): SyntaxNode | null =>
  n?.type === 'compound_statement' ? n.namedChildren.find((c) => c.type === 'comment') ?? null : null;

function outcomes(cond: SyntaxNode, s: Subject, values: string[]): Tri {
  const all = values.map((v) => evalCondition(cond, s, v));
  if (all.length === 0 || all.some((t) => t === null)) return null;
  return all.every((t) => t === all[0]) ? all[0] : null;
}

/** The tests in a caller's body, after the call, that look at the returned value. */
export function testsOf(fn: FunctionBody, s: Subject): SyntaxNode[] {
  return nodesIn(fn, CONDITIONS).filter((t) => {
    const cond = t.childForFieldName('condition') ?? t.childForFieldName('value');
    // A test that ends before the call cannot look at its value (`if (ret >= 0) { ret = f(); ... }`).
    return cond !== null && cond.endPosition.row + 1 >= s.line && mentions(cond, s);
  });
}

/**
 * The first test on the value whose outcome differs between the `before` and the `after` values,
 * with what the branch does; for a switch, the case label that is now (or no longer) taken.
 * Returns null when no test is seen to change.
 */
export function changedBranch(fn: FunctionBody, s: Subject, before: string[], after: string[]): BranchChange | null {
  for (const t of testsOf(fn, s)) {
    if (t.type === 'switch_statement') {
      const cases = t.childForFieldName('body')?.namedChildren.filter((c) => c.type === 'case_statement') ?? [];
      for (const c of cases) {
        const k = c.childForFieldName('value');
        const label = k ? constantOf(k) : null;
        if (label === null) continue;
        const was = before.includes(label), now = after.includes(label);
        if (was === now) continue;
        const body = c.namedChildren.filter((x) => x.id !== k?.id && x.type !== 'comment');
        return {
          condition: `case ${label}:`, line: c.startPosition.row + 1, was, now,
          does: body.length ? body.slice(0, 2).map(describeStatement).join(', then ') : 'falls through to the next case',
          comment: ((cm) => (cm ? commentText(cm) : undefined))(c.namedChildren.find((x) => x.type === 'comment') ?? prevComment(c)),
        };
      }
      continue;
    }
    const cond = t.childForFieldName('condition')!;
    const was = outcomes(cond, s, before), now = outcomes(cond, s, after);
    if (was === now || (was === null && now === null)) continue;
    const taken = now === true || (now === null && was === false);
    const cons = t.childForFieldName('consequence');
    const alt = t.childForFieldName('alternative');
    let does: string, target: SyntaxNode | null, cm: SyntaxNode | null;
    if (taken) {
      target = cons; does = describeStatement(cons); cm = innerComment(cons) ?? prevComment(t);
    } else if (alt || t.type !== 'if_statement') {
      target = alt; does = describeStatement(alt); cm = innerComment(alt) ?? innerComment(cons);
    } else {
      // No else: the branch is skipped and the function goes on with the next statement.
      const next = t.nextNamedSibling;
      target = next?.type === 'comment' ? next.nextNamedSibling : next;
      does = `skips the branch (${describeStatement(cons)}), then ${describeStatement(target)}`;
      cm = (next?.type === 'comment' ? next : null) ?? innerComment(cons) ?? prevComment(t);
    }
    return {
      condition: oneLine(stripParens(cond).text), line: cond.startPosition.row + 1, was, now,
      does,
      comment: cm ? commentText(cm) : undefined,
      returns: firstReturnConstants(target),
    };
  }
  return null;
}

const word = (t: Tri): string => (t === null ? 'undecided' : t ? 'true' : 'false');

/** "`written == -EBUSY` now true: returns 0 (If a page can not be invalidated, ...)". */
export function renderBranch(b: BranchChange): string {
  const head = b.condition.startsWith('case ')
    ? `\`${b.condition}\` ${b.now ? 'now taken' : 'no longer taken'}`
    : b.now === null ? `\`${b.condition}\` was ${word(b.was)}, now may be ${word(!b.was)}`
      : `\`${b.condition}\` now ${word(b.now)}`;
  const comment = b.comment ? ` ("${b.comment.length > 120 ? `${b.comment.slice(0, 117)}...` : b.comment}")` : '';
  return `${head}: ${b.does}${comment}`;
}

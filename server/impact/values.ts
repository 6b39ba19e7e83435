// Return values as the impact analysis speaks of them: "0", "-EIO", "ERR_PTR(-ENOMEM)", "NULL",
// "unknown" — plain strings, because they are what the JSON contract shows — and a ReturnSet that
// keeps every unknown part with the reason it is unknown, so nothing is silently dropped.

/** The token for a value the analysis cannot tell. */
export const UNKNOWN = 'unknown';
/** A value on a caller path that now passes a sign/truth test: the caller's success result. */
export const SUCCESS = 'success';

export interface ReturnSet {
  /** Known values. */
  values: Set<string>;
  /** Why parts are unknown ("->launder_page() is an indirect call"); empty when all is known. */
  unknown: string[];
}

export function emptySet(): ReturnSet {
  return { values: new Set(), unknown: [] };
}

export function unknownSet(reason: string): ReturnSet {
  return { values: new Set(), unknown: [reason] };
}

export function constSet(...values: string[]): ReturnSet {
  return { values: new Set(values), unknown: [] };
}

export function union(...sets: ReturnSet[]): ReturnSet {
  const out = emptySet();
  for (const s of sets) {
    for (const v of s.values) out.values.add(v);
    for (const u of s.unknown) if (!out.unknown.includes(u)) out.unknown.push(u);
  }
  return out;
}

export function mapValues(set: ReturnSet, f: (v: string) => string | null): ReturnSet {
  const out: ReturnSet = { values: new Set(), unknown: [...set.unknown] };
  for (const v of set.values) {
    const m = f(v);
    if (m !== null) out.values.add(m);
  }
  return out;
}

export const isErrno = (v: string): boolean => /^-E[A-Z0-9]+$/.test(v);
const errPtrOf = (v: string): string | null => /^ERR_PTR\((.*)\)$/.exec(v)?.[1] ?? null;

/** Negates a value: "EIO" ↔ "-EIO", "1" ↔ "-1"; null when it cannot be negated. */
export function negate(v: string): string | null {
  if (v === '0') return '0';
  if (/^-?[0-9]+$/.test(v)) return v.startsWith('-') ? v.slice(1) : `-${v}`;
  if (/^E[A-Z0-9]+$/.test(v)) return `-${v}`;
  if (isErrno(v)) return v.slice(1);
  return null;
}

/** Normalises a C number literal: "0x10UL" → "16", "0" → "0"; other forms kept as written. */
export function normaliseNumber(text: string): string {
  const t = text.replace(/[uUlL]+$/, '');
  if (/^0[xX][0-9a-fA-F]+$/.test(t) || /^[1-9][0-9]*$/.test(t) || t === '0') return String(Number(t));
  return t;
}

export type SignClass = 'neg' | 'zero' | 'pos' | 'nonneg' | 'errptr' | 'any';

/** What the analysis knows of a value's sign; pointers built with ERR_PTR are their own class. */
export function signClass(v: string): SignClass {
  if (v === '0' || v === 'NULL' || v === 'false') return 'zero';
  if (v === 'true') return 'pos';
  if (/^-[0-9]+$/.test(v) || isErrno(v)) return 'neg';
  if (/^[0-9]+$/.test(v)) return 'pos';
  if (v === SUCCESS) return 'nonneg';
  if (errPtrOf(v) !== null) return 'errptr';
  return 'any';
}

/** Outcome of a test applied to a value: true, false, or not known. */
export type Tri = boolean | null;

export function testSign(v: string, op: '<0' | '>=0' | '>0' | '<=0'): Tri {
  const c = signClass(v);
  const neg = c === 'neg' ? true : c === 'zero' || c === 'pos' || c === 'nonneg' ? false : null;
  const zero = c === 'zero' ? true : c === 'neg' || c === 'pos' ? false : null;
  if (op === '<0') return neg;
  if (op === '>=0') return neg === null ? null : !neg;
  if (op === '<=0') return neg === true || zero === true ? true : neg === false && zero === false ? false : null;
  return neg === null || zero === null ? null : !neg && !zero;
}

export function testTruth(v: string): Tri {
  const c = signClass(v);
  if (c === 'zero') return false;
  if (c === 'neg' || c === 'pos' || c === 'errptr') return true;
  return null;
}

/** IS_ERR()/IS_ERR_VALUE(): true for error pointers and for negative errno values alike. */
export function testIsErr(v: string): Tri {
  const c = signClass(v);
  if (c === 'errptr' || isErrno(v)) return true;
  if (c === 'zero' || c === 'pos' || c === 'nonneg') return false;
  return null;
}

/** The values under PTR_ERR(): error pointers give their code; other pointers are not errors. */
export function ptrErr(set: ReturnSet): ReturnSet {
  const out = mapValues(set, (v) => errPtrOf(v));
  if (out.values.size === 0 && out.unknown.length === 0) out.unknown.push('PTR_ERR() of a value that is never an ERR_PTR');
  return out;
}

/** Sorted for humans: numbers, errno codes, error pointers, other names, then "unknown". */
export function renderSet(set: ReturnSet): string[] {
  const rank = (v: string): number => (/^-?[0-9]+$/.test(v) ? 0 : isErrno(v) ? 1 : errPtrOf(v) !== null ? 2 : 3);
  const sorted = [...set.values].sort((a, b) => rank(a) - rank(b) || (rank(a) === 0 ? Number(a) - Number(b) : a.localeCompare(b)));
  return set.unknown.length > 0 ? [...sorted, UNKNOWN] : sorted;
}

/** What user space reads for a value: "-EIO" → "EIO", ERR_PTR(-EIO) → "EIO". */
export function userValue(v: string): string {
  const inner = errPtrOf(v) ?? v;
  return isErrno(inner) ? inner.slice(1) : inner;
}

/** The delta a caller path carries: values it returned before the patch and returns after. */
export interface Delta {
  before: string[];
  after: string[];
}

export function deltaOf(before: ReturnSet, after: ReturnSet): Delta {
  return {
    before: renderSet({ values: new Set([...before.values].filter((v) => !after.values.has(v))), unknown: [] }),
    after: renderSet({ values: new Set([...after.values].filter((v) => !before.values.has(v))), unknown: [] }),
  };
}

export const deltaIsEmpty = (d: Delta): boolean => d.before.length === 0 && d.after.length === 0;
const rendered = new WeakMap<Delta, string>();
/** "EIO -> EBUSY" (kept per delta: the walk keys its memos by it; deltas are never changed). */
export const renderDelta = (d: Delta): string => {
  let r = rendered.get(d);
  if (r === undefined) rendered.set(d, (r = `${d.before.map(userValue).join('/') || '(none)'} -> ${d.after.map(userValue).join('/') || '(none)'}`));
  return r;
};

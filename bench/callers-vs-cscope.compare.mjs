// Compares the call sites of one function as cscope and `kpl callers` list them, by
// (file, line), and puts every difference in a class that says what kind of code caused it
// (and so, after reading such code once, which side is wrong for the whole class).

import { join } from 'node:path';
import { scanFile, occurrence, lineText } from './callers-vs-cscope.lexicon.mjs';

/** The classes, with the side that is wrong in them (settled by reading examples; see the .md). */
export const CLASSES = {
  // cscope lists it, kpl does not
  'cscope-only/comment': 'cscope: a mention inside a comment is not a call',
  'cscope-only/string': 'cscope: text inside a string literal is not a call',
  'cscope-only/if0': 'cscope: code under #if 0 (or the dead branch of #if 1) never compiles',
  'cscope-only/define': 'call written inside a #define body: cscope names the macro text, kpl the macro users',
  'cscope-only/decl': 'cscope: a prototype or declaration (a type before the name) listed as a call',
  'cscope-only/member': 'cscope: a call through a struct field of the same name (p->ops->f()) is no call of f',
  'cscope-only/not-call': 'cscope: the name is not followed by "(" (no call there)',
  'cscope-only/absent': 'cscope: the name is not on that line at all',
  'cscope-only/global': 'call at file scope (initialiser or macro use outside a function)',
  'cscope-only/fn-pointer': 'cscope: a call through a parameter or local pointer that has the function\'s name',
  'cscope-only/call': 'kpl: a real call in code that kpl did not report',
  // kpl lists it, cscope does not
  'cscope-only/call-split': 'kpl: a real call, its "(" on the next line, that kpl did not report',
  'kpl-only/call': 'cscope: a real call cscope lost (its parser gave up on the surrounding code)',
  'kpl-only/call-split': 'cscope: a call whose "(" is on the next line is not a call to cscope',
  'kpl-only/define': 'kpl reports a call inside a #define body',
  'kpl-only/macro-other-arch': 'kpl: reached through a wrapper macro, but the function lives in another architecture than the call site',
  'kpl-only/macro': 'reached through a wrapper macro (#define m(x) f(x)): right where that macro definition is the one compiled',
  'kpl-only/absent': 'kpl: the name is not on the line and no macro is called there',
  'kpl-only/if0': 'kpl: code under #if 0 reported as a call',
  'kpl-only/comment': 'kpl: a mention in a comment reported as a call',
  'kpl-only/string': 'kpl: text in a string reported as a call',
  'kpl-only/decl': 'kpl: a prototype or declaration reported as a call',
  'kpl-only/not-call': 'kpl: the name is not followed by "(" on that line (a reference, not a call)',
  // both list the site
  'via-field': 'a call through an ops field named like the function: kpl lists it with via, cscope as a direct call',
  'line-differs': 'same call, neighbouring line numbers (a call split over lines)',
  'caller-differs': 'same site, different enclosing function',
};

/** Classes in which the cscope entry is not a call (cscope's false positives). */
export const CSCOPE_FALSE = new Set(['cscope-only/comment', 'cscope-only/string', 'cscope-only/if0', 'cscope-only/decl', 'cscope-only/member', 'cscope-only/fn-pointer', 'cscope-only/not-call', 'cscope-only/absent']);
/** Classes in which both tools list the site, in different ways (counted as found). */
export const BOTH_LIST = new Set(['line-differs', 'via-field']);
/** Classes in which kpl's extra entry is a real call cscope missed. */
export const KPL_EXTRA_REAL = new Set(['kpl-only/call', 'kpl-only/call-split']);

const key = (s) => `${s.file}:${s.line}`;

/**
 * Compares one function's sites. `cscope`: [{file, caller, line}] from cscope -3;
 * `kpl`: the JSON rows of `kpl callers` ({function, file, line, use, via}).
 */
export function compareFunction(tree, name, cscope, kpl, macros, definedIn = []) {
  const direct = kpl.filter((r) => !r.via);
  const indirect = kpl.filter((r) => r.via);
  const cMap = new Map(cscope.map((s) => [key(s), s]));
  const kMap = new Map(direct.map((r) => [key(r), r]));
  const matched = [];
  const diffs = [];
  for (const [k, s] of cMap) {
    const r = kMap.get(k);
    if (!r) continue;
    matched.push(k);
    if (r.function !== s.caller) {
      const inDefine = scanFile(join(tree, s.file))?.define[s.line] === 1;
      diffs.push({ cls: 'caller-differs', file: s.file, line: s.line, cscope: s.caller, kpl: r.function, wrong: whoseCaller(s.caller, r.function, macros, inDefine) });
    }
  }
  const viaMap = new Map(indirect.map((r) => [key(r), r]));
  let cOnly = [];
  for (const s of cMap.values()) {
    if (kMap.has(key(s))) continue;
    const v = viaMap.get(key(s));
    if (v) diffs.push({ cls: 'via-field', file: s.file, line: s.line, cscope: s.caller, kpl: v.function, via: v.via });
    else cOnly.push(s);
  }
  let kOnly = [...kMap.values()].filter((r) => !cMap.has(key(r)));
  // A call split over lines may be dated at its name by one side and elsewhere by the other.
  for (const s of [...cOnly]) {
    const near = kOnly.find((r) => r.file === s.file && Math.abs(r.line - s.line) <= 3 && r.function === s.caller);
    if (!near) continue;
    diffs.push({ cls: 'line-differs', file: s.file, line: s.line, kplLine: near.line, cscope: s.caller, kpl: near.function });
    cOnly = cOnly.filter((x) => x !== s);
    kOnly = kOnly.filter((x) => x !== near);
  }
  for (const s of cOnly) {
    const scan = scanFile(join(tree, s.file));
    let occ = occurrence(scan, s.line, name);
    if (occ === 'call' && s.caller === '<global>') occ = 'global';
    else if (occ === 'call' && pointerNamed(scan, s.line, name)) occ = 'fn-pointer';
    diffs.push({ cls: `cscope-only/${occ}`, file: s.file, line: s.line, cscope: s.caller, kpl: null, text: lineText(scan, s.line) });
  }
  for (const r of kOnly) {
    const scan = scanFile(join(tree, r.file));
    let occ = occurrence(scan, r.line, name);
    const text = lineText(scan, r.line);
    if (occ === 'absent' && calledMacros(text, macros).length) occ = otherArch(r.file, definedIn) ? 'macro-other-arch' : 'macro';
    diffs.push({ cls: `kpl-only/${occ}`, file: r.file, line: r.line, cscope: null, kpl: r.function, use: r.use, text });
  }
  return { name, cscope: cMap.size, kplDirect: kMap.size, kplIndirect: indirect.length, matched: matched.length, diffs, indirect };
}

/** True when `(*name)` (a pointer parameter or local of that name) is declared just above the line. */
function pointerNamed(scan, line, name) {
  if (!scan) return false;
  const re = new RegExp(`\\(\\s*\\*\\s*${name}\\s*\\)`);
  for (let l = line - 1; l >= Math.max(1, line - 60); l--) if (re.test(lineText(scan, l))) return true;
  return false;
}

/** The #define'd names a line calls (`name(`). */
function calledMacros(text, macros) {
  return [...text.matchAll(/\b([A-Za-z_]\w*)\s*(?:\(|$)/g)].map((m) => m[1]).filter((n) => macros.has(n));
}

const archOf = (file) => (/^arch\/([^/]+)\//.exec(file) ?? /^include\/asm-([^/]+)\//.exec(file))?.[1] ?? null;

/** True when every definition is architecture-specific and none is the call site's architecture. */
function otherArch(file, definedIn) {
  const arches = definedIn.map(archOf);
  if (arches.length === 0 || arches.includes(null)) return false;
  const here = archOf(file);
  return here !== null && !arches.includes(here);
}

/** At a shared site, a first guess at which enclosing-function name is wrong. */
function whoseCaller(cscopeCaller, kplCaller, macros, inDefine) {
  if (inDefine) return `neither: a #define body is in no function${kplCaller === null ? ' (kpl: file scope)' : ''}`;
  if (cscopeCaller === '<global>') return kplCaller ? 'cscope (says file scope)' : 'neither';
  if (macros.has(cscopeCaller)) return 'cscope (names a macro)';
  if (!kplCaller) return 'kpl (says file scope)';
  return 'read the code';
}

/** Sums per-function results into the overall figures. */
export function summarise(results) {
  const t = { functions: results.length, cscope: 0, kplDirect: 0, kplIndirect: 0, matched: 0, byClass: new Map() };
  for (const r of results) {
    t.cscope += r.cscope; t.kplDirect += r.kplDirect; t.kplIndirect += r.kplIndirect; t.matched += r.matched;
    for (const d of r.diffs) {
      let list = t.byClass.get(d.cls);
      if (!list) t.byClass.set(d.cls, (list = []));
      list.push({ ...d, function: r.name });
    }
  }
  const count = (pred) => [...t.byClass].filter(([c]) => pred(c)).reduce((n, [, l]) => n + l.length, 0);
  const lineDiffers = count((c) => c === 'line-differs');
  const bothList = count((c) => BOTH_LIST.has(c));
  const cscopeFalse = count((c) => CSCOPE_FALSE.has(c));
  const kplExtraReal = count((c) => KPL_EXTRA_REAL.has(c));
  t.recall = t.cscope ? t.matched / t.cscope : NaN;
  t.precision = t.kplDirect ? t.matched / t.kplDirect : NaN;
  // Adjusted: cscope's own false positives leave the reference, cscope's misses join it, and a
  // call dated on a neighbouring line counts as found.
  const truth = t.cscope - cscopeFalse + kplExtraReal;
  // A site kpl lists through an ops field is found (recall), but is no direct site (precision).
  t.adjustedRecall = truth ? (t.matched + bothList + kplExtraReal) / truth : NaN;
  t.adjustedPrecision = t.kplDirect ? (t.matched + lineDiffers + kplExtraReal) / t.kplDirect : NaN;
  // Per-function averages, so that one function with a thousand sites cannot carry the result.
  const withSites = results.filter((r) => r.cscope > 0);
  const withKpl = results.filter((r) => r.kplDirect > 0);
  t.meanRecall = withSites.length ? withSites.reduce((a, r) => a + r.matched / r.cscope, 0) / withSites.length : NaN;
  t.meanPrecision = withKpl.length ? withKpl.reduce((a, r) => a + r.matched / r.kplDirect, 0) / withKpl.length : NaN;
  t.meanOver = { recall: withSites.length, precision: withKpl.length };
  t.cscopeFalse = cscopeFalse; t.kplExtraReal = kplExtraReal; t.lineDiffers = bothList;
  return t;
}

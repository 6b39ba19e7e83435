// Lexical context of a name on a source line, for explaining where `kpl callers` and cscope
// disagree: is the occurrence in a comment, a string, an `#if 0` block, a #define body, and is
// it followed by `(` at all? A light C lexer, not a parser: it only has to tell these apart.

import { readFileSync } from 'node:fs';

const CODE = 0, COMMENT = 1, STRING = 2;

/** Per-file facts: char kinds (code/comment/string), line starts, dead and #define lines. */
export function scanSource(text) {
  const n = text.length;
  const kind = new Uint8Array(n);
  const lineStarts = [0];
  for (let i = 0; i < n; i++) if (text.charCodeAt(i) === 10) lineStarts.push(i + 1);
  let i = 0;
  while (i < n) {
    const c = text[i];
    if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end < 0 ? n : end + 2;
      kind.fill(COMMENT, i, stop); i = stop;
    } else if (c === '/' && text[i + 1] === '/') {
      let stop = text.indexOf('\n', i); if (stop < 0) stop = n;
      kind.fill(COMMENT, i, stop); i = stop;
    } else if (c === '"' || c === "'") {
      // Strings end at the matching quote or, when unterminated (an apostrophe in #error
      // text or in #if 0 prose), at the end of the line, so one stray quote cannot swallow a file.
      let j = i + 1;
      while (j < n && text[j] !== c && text[j] !== '\n') j += text[j] === '\\' ? 2 : 1;
      const stop = Math.min(n, text[j] === c ? j + 1 : j);
      kind.fill(STRING, i, stop); i = stop;
    } else i++;
  }
  const lines = lineStarts.length;
  const dead = new Uint8Array(lines + 1); // 1-based: line inside a branch that never compiles
  const define = new Uint8Array(lines + 1); // 1-based: line belongs to a #define
  const stack = []; // per #if: { deadHere: bool, elseDead: bool }
  let inDefine = false;
  for (let l = 1; l <= lines; l++) {
    const start = lineStarts[l - 1];
    const end = l < lines ? lineStarts[l] - 1 : n;
    const raw = text.slice(start, end);
    const isDead = stack.some((s) => s.deadHere);
    dead[l] = isDead ? 1 : 0;
    if (inDefine) define[l] = 1;
    const m = /^\s*#\s*(\w+)\s*(.*)$/.exec(raw);
    if (m && kind[start + raw.indexOf('#')] === CODE) {
      const [, dir, rest] = m;
      const cond = rest.replace(/\/\*.*?\*\/|\/\/.*$/g, '').trim();
      if (dir === 'if') stack.push({ deadHere: cond === '0', elseDead: cond === '1' });
      else if (dir === 'ifdef' || dir === 'ifndef') stack.push({ deadHere: false, elseDead: false });
      else if (dir === 'elif' && stack.length) { const s = stack[stack.length - 1]; s.deadHere = s.elseDead; }
      else if (dir === 'else' && stack.length) { const s = stack[stack.length - 1]; const was = s.deadHere; s.deadHere = s.elseDead; s.elseDead = was; }
      else if (dir === 'endif') stack.pop();
      else if (dir === 'define') { define[l] = 1; }
    }
    inDefine = define[l] === 1 && /\\\s*$/.test(raw);
  }
  return { text, kind, lineStarts, dead, define };
}

const cache = new Map();
/** scanSource for a file on disk, memoised (the comparison asks about the same files often). */
export function scanFile(path) {
  let s = cache.get(path);
  if (s === undefined) {
    try { s = scanSource(readFileSync(path, 'latin1')); } catch { s = null; }
    cache.set(path, s);
  }
  return s;
}

/** The source text of a 1-based line, without its newline. */
export function lineText(scan, line) {
  if (!scan || line < 1 || line > scan.lineStarts.length) return '';
  const start = scan.lineStarts[line - 1];
  const end = line < scan.lineStarts.length ? scan.lineStarts[line] - 1 : scan.text.length;
  return scan.text.slice(start, end);
}

/** 'same' when `(` follows on the name's line, 'later' when only on a following line, else null. */
function followedByParen(scan, pos) {
  const { text, kind } = scan;
  let newline = false;
  for (let j = pos; j < text.length && j < pos + 400; j++) {
    if (text[j] === '\n') newline = true;
    if (kind[j] === COMMENT || /\s/.test(text[j])) continue;
    return text[j] === '(' ? (newline ? 'later' : 'same') : null;
  }
  return null;
}

const NOT_TYPES = new Set(['return', 'else', 'do', 'case', 'goto', 'sizeof', 'typeof', '__typeof__']);

/**
 * True when the name is preceded on its line by a type (`int f(`, `struct x *f(`): a
 * declaration, not a call. Only the code before the name on the same line is looked at.
 */
function declaredHere(scan, lineStart, pos) {
  let before = '';
  for (let j = lineStart; j < pos; j++) before += scan.kind[j] === 0 ? scan.text[j] : ' ';
  const m = /([A-Za-z_]\w*)\s*(\**)\s*$/.exec(before);
  if (!m || NOT_TYPES.has(m[1])) return false;
  // `a * f(x)` would read as a declaration; kernel code writes types before `*` at line start.
  return m[2] === '' || /^\s*(extern|static|const|struct|union|enum|unsigned|signed|inline)?[\s\w]*$/.test(before.slice(0, m.index));
}

/**
 * What a name's occurrences on a line look like, most telling first:
 * 'absent' (the name is not on the line), 'if0' (dead preprocessor branch), 'comment',
 * 'string', 'define' (inside a #define body), 'call' (name then `(`), 'call-split' (the `(`
 * only on a following line), 'decl' (a type before the name: a prototype or declaration),
 * 'member' (`p->ops->f(`: a call through a struct field that has the function's name),
 * 'not-call' (a mention: `&f`, `.op = f`).
 */
export function occurrence(scan, line, name) {
  if (!scan) return 'absent';
  const text = lineText(scan, line);
  const start = scan.lineStarts[line - 1];
  const re = new RegExp(`\\b${name.replace(/[$]/g, '\\$')}\\b`, 'g');
  const kinds = [];
  for (let m; (m = re.exec(text)); ) {
    const pos = start + m.index;
    if (scan.kind[pos] === COMMENT) kinds.push('comment');
    else if (scan.kind[pos] === STRING) kinds.push('string');
    else {
      const paren = followedByParen(scan, pos + name.length);
      if (paren && /(->|\.)\s*$/.test(scan.text.slice(Math.max(start, pos - 8), pos))) kinds.push('member');
      else if (paren && declaredHere(scan, start, pos)) kinds.push('decl');
      else kinds.push(paren === 'same' ? 'call' : paren === 'later' ? 'call-split' : 'not-call');
    }
  }
  if (kinds.length === 0) return 'absent';
  if (scan.dead[line]) return 'if0';
  if (kinds.includes('call')) return scan.define[line] ? 'define' : 'call';
  if (kinds.includes('call-split')) return scan.define[line] ? 'define' : 'call-split';
  if (kinds.includes('decl')) return scan.define[line] ? 'define' : 'decl';
  if (kinds.includes('member')) return 'member';
  if (kinds.includes('not-call')) return scan.define[line] ? 'define' : 'not-call';
  return kinds.includes('comment') ? 'comment' : 'string';
}

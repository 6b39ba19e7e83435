// The enclosing function of a changed line from the patch alone (no tree): the hunk header when
// it names one, else the nearest function signature in this hunk's or an earlier hunk's lines of
// the same file; a kernel-doc comment belongs to the signature right after it. Never guesses.
import type { ErrnoChange, FileDiff } from '../model';

const NOT_FUNCTIONS = new Set(['if', 'while', 'for', 'switch', 'return', 'sizeof', 'do', 'else', 'typeof', '__attribute__', 'defined']);

/** C keywords and type names, and kernel type words: never the name of a function. */
const C_KEYWORDS = new Set([
  'auto', 'break', 'case', 'char', 'const', 'continue', 'default', 'do', 'double', 'else', 'enum', 'extern',
  'float', 'for', 'goto', 'if', 'inline', 'int', 'long', 'register', 'restrict', 'return', 'short', 'signed',
  'sizeof', 'static', 'struct', 'switch', 'typedef', 'union', 'unsigned', 'void', 'volatile', 'while', '_Bool',
  'bool', '__inline', '__inline__', '__volatile__', '__const', 'asm', '__asm__', 'typeof', '__typeof__',
  '__attribute__', 'defined', 'u8', 'u16', 'u32', 'u64', 's8', 's16', 's32', 's64', 'size_t', 'ssize_t',
  'loff_t', 'umode_t', 'dev_t', 'pid_t', 'gfp_t', 'irqreturn_t', 'ulong', 'uint', 'ushort', 'uchar',
]);

/** Is `name` a C keyword or type name (so it cannot name a function)? */
export function isCKeyword(name: string): boolean {
  return C_KEYWORDS.has(name);
}

/**
 * The function a signature line declares, or null when the line does not start a definition:
 * `static int foo(struct page *page)`, `int\nfoo(...)`'s second line, `SYSCALL_DEFINE3(write, ...)`.
 */
export function signatureName(line: string): string | null {
  if (!/^[A-Za-z_]/.test(line)) return null;
  const code = line.replace(/\/\*.*?\*\/|\/\/.*$/g, '').trimEnd();
  if (code.endsWith(';') || /^(?:return|case|goto|else|if|for|while|switch|do)\b/.test(code)) return null;
  const paren = code.indexOf('(');
  if (paren < 0) return null;
  const head = code.slice(0, paren);
  if (head.includes('=') || /^[A-Za-z_]\w*\s*:/.test(code)) return null;
  const m = /([A-Za-z_]\w*)\s*$/.exec(head);
  if (!m || NOT_FUNCTIONS.has(m[1]) || C_KEYWORDS.has(m[1])) return null;
  const syscall = /^(?:COMPAT_)?SYSCALL_DEFINE\d\s*\(\s*(\w+)/.exec(code);
  if (syscall) return `sys_${syscall[1]}`;
  // A macro invocation at file scope (`EXPORT_SYMBOL(x)`, `module_init(x)`) is not a definition.
  if (/^[A-Z_][A-Z0-9_]*$/.test(m[1]) && head.trim() === m[1]) return null;
  return m[1];
}

/** Does the line close a function body (a `}` in column 0)? */
export function endsFunction(line: string): boolean {
  return /^}/.test(line);
}

/** The function documented by a comment that ends at or after index `from` of `lines`, or null. */
export function documentedFunction(lines: string[], from: number): number | null {
  let i = from;
  while (i < lines.length && !lines[i].includes('*/')) {
    if (!isCommentLine(lines[i])) return null;
    i++;
  }
  for (i++; i < lines.length && lines[i].trim() === ''; i++);
  return i < lines.length && signatureName(lines[i]) ? i : null;
}

/** Is this line (inside a hunk) comment text rather than code? */
export function isCommentLine(text: string): boolean {
  // `*errp = -EIO;` starts with a star too: comment stars are followed by a space or nothing.
  return /^\s*(\/\*|\/\/|\*\/|\*(?=\s|$))/.test(text);
}

export interface PatchFunction {
  name: string | null;
  from: ErrnoChange['functionFrom'];
}

/**
 * The enclosing (for `doc`, the documented) function of line `lineIndex` of hunk `hunkIndex`,
 * read from the patch alone.
 */
export function functionFromPatch(file: FileDiff, hunkIndex: number, lineIndex: number, kind: ErrnoChange['kind']): PatchFunction {
  const hunk = file.hunks[hunkIndex];
  // Which side a line belongs to matters: follow the side of the changed line, plus context.
  const side = hunk.lines[lineIndex].kind;
  const onSide = (k: string) => k === 'context' || k === side;
  if (kind === 'doc') {
    const texts = hunk.lines.filter((l, n) => n >= lineIndex && onSide(l.kind)).map((l) => l.text);
    const at = documentedFunction(texts, 0);
    if (at !== null) return { name: signatureName(texts[at]), from: 'context' };
  }
  // A signature inside this hunk, above the line, is nearer than the hunk header (which names
  // the function the hunk starts in); a closing brace in between means that function ended.
  for (let n = lineIndex; n >= 0; n--) {
    const l = hunk.lines[n];
    if (!onSide(l.kind)) continue;
    const name = signatureName(l.text);
    if (name) return { name, from: 'context' };
    if (endsFunction(l.text) && n !== lineIndex) return { name: null, from: 'unknown' };
  }
  const header = signatureName(hunk.header.trim());
  if (header) return { name: header, from: 'hunk-header' };
  for (let h = hunkIndex - 1; h >= 0; h--) {
    const lines = file.hunks[h].lines;
    for (let n = lines.length - 1; n >= 0; n--) {
      const text = lines[n].text;
      if (endsFunction(text)) return { name: null, from: 'unknown' };
      const name = signatureName(text);
      if (name) return { name, from: 'context' };
    }
  }
  return { name: null, from: 'unknown' };
}

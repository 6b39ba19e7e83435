// Kernel macros that tree-sitter-c cannot know, blanked before parsing. Section and sparse
// attributes (`__init`, `__user`, `__releases(x)`) sit where C expects a type or a name, so the
// parser would take `__init` for the declarator and lose the function; `SYSCALL_DEFINEn(...)`
// headers are not C at all. Every rewrite keeps the text's length and its newlines, so lines,
// columns and offsets in the tree stay those of the real file.

/** Attribute-like words (no arguments) that only annotate a declaration. */
const ATTRIBUTE_WORDS = [
  '__init', '__exit', '__initdata', '__exitdata', '__initconst', '__init_or_module', '__init_refok',
  '__initdata_refok', '__exit_refok', '__ref', '__refdata', '__refconst', '__devinit', '__devexit',
  '__devinitdata', '__devinitconst', '__devexitdata', '__cpuinit', '__cpuexit', '__cpuinitdata',
  '__cpuinitconst', '__meminit', '__memexit', '__meminitdata', '__net_init', '__net_exit', '__initdata_memblock',
  '__init_memblock', '__read_mostly', '__ro_after_init', '__cacheline_aligned', '__cacheline_aligned_in_smp',
  '____cacheline_aligned', '____cacheline_aligned_in_smp', '____cacheline_internodealigned_in_smp',
  '__page_aligned_data', '__page_aligned_bss', '__lockfunc', '__irq_entry', '__softirq_entry',
  '__exception_irq_entry', '__visible', '__latent_entropy', '__nocfi', '__flatten', '__attribute_const__',
  '__attribute_used__', '__always_inline', '__inline', '__inline__', 'noinline', '__noinline', '__noclone',
  '__must_check', '__deprecated', '__pure', '__noreturn', '__cold', '__hot', '__weak', '__used', '__unused',
  '__maybe_unused', '__always_unused', '__sched', '__kprobes', 'notrace', 'noinstr', '__cpuidle', 'asmlinkage',
  'fastcall', 'NORET_TYPE', 'ATTRIB_NORET', '__user', '__kernel', '__iomem', '__force', '__nocast', '__safe',
  '__bitwise', '__bitwise__', '__rcu', '__percpu', '__private', '__packed', '__naked', '__malloc',
  '__randomize_layout', '__no_sanitize_address', '__no_kcsan', '__head', '__nonstring',
];

/** Attribute-like macros with one argument list. */
const ATTRIBUTE_CALLS = [
  '__releases', '__acquires', '__must_hold', '__aligned', '__section', '__printf', '__scanf',
  '__alloc_size', '__assume_aligned', '__counted_by', '__guarded_by', '__pt_guarded_by',
];

const WORDS = new RegExp(
  `\\b(?:${ATTRIBUTE_CALLS.join('|')})\\s*\\([^()]*(?:\\([^()]*\\)[^()]*)*\\)|\\b(?:${ATTRIBUTE_WORDS.join('|')})\\b`,
  'g',
);
const SYSCALL_HEADER = /\b(COMPAT_)?SYSCALL_DEFINE(\d)\s*\(\s*(\w+)/g;

/** A SYSCALL_DEFINEn(...) header rewritten to `long sys_<name>()`. */
export interface SyscallHeader {
  /** Offset of the rewritten header (where `long sys_<name>(` now starts). */
  start: number;
  /** End offset of the original header (after its closing parenthesis). */
  end: number;
  /** The function's name: `sys_<name>`, or `compat_sys_<name>` for COMPAT_SYSCALL_DEFINEn. */
  name: string;
  /** The system call's name, `write` for SYSCALL_DEFINE3(write, ...). */
  syscall: string;
}

export interface MaskedText {
  text: string;
  syscalls: SyscallHeader[];
}

/** Spaces in place of `s`, keeping its newlines. */
function blank(s: string): string {
  return s.replace(/[^\n]/g, ' ');
}

/** Offset just after the parenthesis that closes the one at `open`, or -1. */
function closingParen(text: string, open: number): number {
  let depth = 0;
  const limit = Math.min(text.length, open + 4000);
  for (let i = open; i < limit; i++) {
    const c = text.charCodeAt(i);
    if (c === 40) depth++;
    else if (c === 41 && --depth === 0) return i + 1;
  }
  return -1;
}

function rewriteSyscalls(text: string, syscalls: SyscallHeader[]): string {
  if (!text.includes('SYSCALL_DEFINE')) return text;
  let out = '';
  let done = 0;
  for (const m of text.matchAll(SYSCALL_HEADER)) {
    const start = m.index;
    if (start < done) continue;
    const end = closingParen(text, text.indexOf('(', start));
    if (end < 0) continue;
    // Only a definition (a body follows) is rewritten; other uses are left to the parser.
    const after = /^\s*\{/.exec(text.slice(end, end + 200));
    if (!after) continue;
    const name = `${m[1] ? 'compat_sys_' : 'sys_'}${m[3]}`;
    const head = `long ${name}(`;
    const original = text.slice(start, end);
    const firstLine = original.indexOf('\n') < 0 ? original.length : original.indexOf('\n');
    if (head.length + 1 > firstLine) continue;
    // `long sys_write(` on the header's first line, `)` where the original closed, blanks between.
    const rewritten = head + blank(original.slice(head.length, original.length - 1)) + ')';
    out += text.slice(done, start) + rewritten;
    done = end;
    syscalls.push({ start, end, name, syscall: m[3] });
  }
  return done === 0 ? text : out + text.slice(done);
}

/** The text with kernel attribute macros blanked and syscall headers made C, same length. */
export function maskKernelMacros(text: string): MaskedText {
  const syscalls: SyscallHeader[] = [];
  const masked = rewriteSyscalls(text, syscalls).replace(WORDS, blank);
  return { text: masked, syscalls };
}

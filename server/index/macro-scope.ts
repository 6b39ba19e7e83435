// Where a wrapper macro (`#define foo(x) __foo(x, 0)`) is in effect. The index records every
// definition of a name without its #if context and without include edges, so which definition
// a call of `foo` in some file expands to is decided here from paths alone:
//
//   1. A file that defines the name itself (a macro, or a function body) uses its own
//      definitions: a macro written in a .c file is that file's alone.
//   2. Otherwise only definitions another file can see count: those in headers (macros and
//      `static inline` bodies) and non-static functions of .c files. A header in the call
//      site's own folder (a driver's private header) wins over the rest.
//   3. A header under `arch/<a>/` or `include/asm-<a>/` belongs to architecture <a>; any other
//      header (include/linux/, include/asm-generic/, a driver folder) is generic.
//      - A call site in architecture <a> sees <a>'s headers and the generic ones (and um sees
//        x86's: its asm headers point at the host architecture's). A machine's header
//        (`arch/arm/mach-pxa/…`, `include/asm-mips/mach-ip27/…`) is not seen by another
//        machine's folder: one kernel is built for one machine of a family.
//      - A call site in generic code sees the generic headers; an architecture's definitions
//        only when every visible definition of the name lives in that one architecture (then
//        the generic code can only be built there). When several architectures define the
//        name, or generic code does, the call is taken as a call of the generic interface
//        (`ioremap()`), not of each architecture's private helper (`__ixp4xx_ioremap`).
//
// What this cannot decide, and which way it errs:
//   - #if/#ifdef are not evaluated: every definition in a file or header set that is in
//     effect counts (over-approximation: every ARM machine's `__arch_ioremap` applies to the
//     code of arch/arm outside the machine folders, e.g. arch/arm/common/, arch/arm/mm/).
//   - Include edges are not known: a generic header is taken as seen everywhere, except where
//     the call site's folder has its own definition (over-approximation).
//   - Generic code that calls an architecture's wrapper while other architectures define the
//     same name is dropped, although on that architecture it does expand to the wrapped
//     function (a deliberate under-approximation: those are calls of the interface).
//   - A .c file #included by another, or a macro #undef'd and redefined, is not followed.
//   - Object-like macros and macros whose body is not a call are not in the index, so they
//     cannot override anything (over-approximation).

/** One definition of a name, as far as scoping needs it. */
export interface NameDefinition {
  /** Tree-relative path with `/`. */
  file: string;
  /** For a wrapper macro: the name it calls; null for a function body. */
  callee: string | null;
  /** A static function (visible in its own file only, unless in a header). */
  isStatic?: boolean;
}

/** Architectures whose code also sees another architecture's headers. */
const ALSO_SEES: Record<string, string[]> = { um: ['x86'] };

/** The architecture a path belongs to (`arch/<a>/…`, `include/asm-<a>/…`), or null for generic code. */
export function archOf(path: string): string | null {
  const m = /^arch\/([^/]+)\//.exec(path) ?? /^include\/asm-([^/]+)\//.exec(path);
  return m && m[1] !== 'generic' ? m[1] : null;
}

/** The machine folder of an architecture path (`mach-pxa`), or null. */
function machineOf(path: string): string | null {
  return /^(?:arch\/[^/]+|include\/asm-[^/]+)\/(?:[^/]+\/)*?(mach-[^/]+)\//.exec(path)?.[1] ?? null;
}

function isHeader(path: string): boolean {
  return path.endsWith('.h');
}

function dirOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

/** Whether another file can see this definition at all (rule 2). */
function shared(d: NameDefinition): boolean {
  return isHeader(d.file) || (d.callee === null && !d.isStatic);
}

/** The definitions of a name in effect at a call site in `file` (rules 1–3 above). */
export function definitionsInEffect(defs: readonly NameDefinition[], file: string): NameDefinition[] {
  const own = defs.filter((d) => d.file === file);
  if (own.length) return own;
  const headers = defs.filter((d) => isHeader(d.file));
  const here = dirOf(file);
  const near = headers.filter((d) => dirOf(d.file) === here);
  if (near.length) return near;
  const arch = archOf(file);
  if (arch !== null) {
    const seen = new Set([arch, ...(ALSO_SEES[arch] ?? [])]);
    const machine = machineOf(file);
    return headers.filter((d) => {
      const a = archOf(d.file);
      if (a === null) return true;
      const m = machineOf(d.file);
      return seen.has(a) && (m === null || machine === null || m === machine);
    });
  }
  const places = new Set(defs.filter(shared).map((d) => archOf(d.file) ?? ''));
  const generic = headers.filter((d) => archOf(d.file) === null);
  if (generic.length || places.size !== 1 || places.has('')) return generic;
  return headers;
}

// The data model of Kernel Patch Lens: what a patch changes, where a function is called and what
// the caller does with the value, the verdict, and the review that gathers them. Every other
// module speaks in these types; LSP and JSON shapes are derived from them at the edges.

// ---------------------------------------------------------------------------------------------
// Positions

/** A place in a file of the kernel tree. `file` is relative to the tree root, with `/`. */
export interface SourceLocation {
  file: string;
  /** 1-based line. */
  line: number;
}

/** Something the reader or the analysis skipped or could not do, said to the user. */
export interface Warning {
  /** 1-based line in the patch document, when the warning is about a place in it. */
  patchLine?: number;
  message: string;
}

// ---------------------------------------------------------------------------------------------
// Reading patches (server/patch/)

/** One line of a hunk, with its exact place in the patch document and in both images. */
export interface DiffLine {
  kind: 'add' | 'del' | 'context';
  /** The line's text without the leading ' ', '+' or '-'. */
  text: string;
  /** 1-based line in the patch document. */
  patchLine: number;
  /** 1-based line in the pre-image (del and context lines). */
  oldLine?: number;
  /** 1-based line in the post-image (add and context lines). */
  newLine?: number;
}

export interface Hunk {
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  /** The text after the second `@@`, often a function name; empty in many patches. */
  header: string;
  /** 1-based line of the `@@` line in the patch document. */
  patchLine: number;
  lines: DiffLine[];
}

export type FileStatus = 'modified' | 'added' | 'deleted' | 'renamed' | 'copied' | 'binary' | 'mode-only';

export interface FileDiff {
  /** Path in the pre-image without the `a/` prefix; null for a new file. */
  oldPath: string | null;
  /** Path in the post-image without the `b/` prefix; null for a deleted file. */
  newPath: string | null;
  status: FileStatus;
  hunks: Hunk[];
  /** 1-based line of the `diff --git` (or `---`) line in the patch document. */
  patchLine: number;
}

/** The mail/commit header of one patch of a series. */
export interface PatchMeta {
  subject: string;
  author?: string;
  date?: string;
  messageId?: string;
  /** The `base-commit:` trailer, when the patch carries one. */
  baseCommit?: string;
  /** The commit message (body before the diff), as text. */
  message: string;
}

export interface Patch {
  meta: PatchMeta;
  files: FileDiff[];
  /** 1-based line where this patch starts in the patch document. */
  startLine: number;
  /** 1-based line where it ends (inclusive). */
  endLine: number;
}

/** What the reader made of a patch document: its patches, and what it skipped and why. */
export interface PatchSeries {
  patches: Patch[];
  warnings: Warning[];
}

// ---------------------------------------------------------------------------------------------
// Return-code changes (server/patch/errno.ts)

/** How an errno code appears on a changed line. JSON names of the `kind` field. */
export type ChangeKind = 'return' | 'assign' | 'case' | 'compare' | 'doc' | 'added' | 'removed';

/** A change of error codes found in a patch, mapped to the function it belongs to. */
export interface ErrnoChange {
  /** Tree-relative path of the file (post-image path for renames). */
  file: string;
  /** The enclosing (or, for kernel-doc, the documented) function; null when it cannot be told. */
  function: string | null;
  kind: ChangeKind;
  /** Codes on the removed side, e.g. ["-EIO"]; empty for an added error return. */
  old: string[];
  /** Codes on the added side, e.g. ["-EBUSY"]; empty for a removed error return. */
  new: string[];
  /** 1-based line of the (first) changed line in the patch document. */
  patchLine: number;
  /** 1-based line in the tree's file: the pre-image line when a line was removed, else the post-image line. */
  line: number;
  /** Index of the patch in its series. */
  patch: number;
  /** How the function was found: from the tree's source, the hunk header, hunk context, or not at all. */
  functionFrom: 'tree' | 'hunk-header' | 'context' | 'unknown';
}

// ---------------------------------------------------------------------------------------------
// The index (server/index/)

/** What a call site does with the returned value: the design's caller-verdict table. */
export type ReturnUse =
  | 'compared'
  | 'propagated'
  | 'overwritten'
  | 'sign-checked'
  | 'truth-checked'
  | 'is-err'
  | 'passed'
  | 'stored'
  | 'ignored'
  | 'unknown';

export interface FunctionDef extends SourceLocation {
  name: string;
  /** 1-based last line of the body. */
  endLine: number;
  /** The declarator as written, e.g. `int invalidate_inode_pages2_range(struct address_space *mapping, pgoff_t start, pgoff_t end)`. */
  signature: string;
  isStatic: boolean;
  /** Named in an EXPORT_SYMBOL*() in the same file. */
  exported: boolean;
  /** For a SYSCALL_DEFINEn(write, ...) entry point: the system call's name ("write"). */
  syscall?: string;
}

export interface CallSite extends SourceLocation {
  /** The function whose body holds the call; null at file scope (initialisers, macros). */
  caller: string | null;
  /** The called function; for an indirect call, the function bound to the field. */
  callee: string;
  /** 1-based column of the callee's name. */
  column: number;
  /** The use that decides the verdict. */
  use: ReturnUse;
  /** Every use seen at this site, in order (e.g. truth-checked then propagated). */
  uses: ReturnUse[];
  /** For `compared`: the codes or constants it is compared with, e.g. ["-EBUSY"]. */
  comparedWith?: string[];
  /** For an indirect call through an ops field: the field, e.g. ".releasepage"; else null. */
  via: string | null;
  /**
   * For an indirect call: the member or variable the table is reached through, as the syntax
   * tree shows it (`f_op` in `file->f_op->write(...)`, `apic_probe` in `apic_probe[i]->probe()`);
   * '' when the object is no plain name. Absent for direct calls (and in indexes that predate it).
   */
  receiver?: string;
  /** The local the value was stored in, when it was (`ret = f()`). */
  local?: string;
  /** Set by the call graph when the site calls a function-like macro that wraps `callee`
   *  (`#define foo(x) __foo(x, 0)`; a call of foo is a call site of __foo): the macro's name. */
  macro?: string;
}

/** A function bound to a field of an ops structure: `.writepage = ext3_ordered_writepage`. */
export interface OpsBinding extends SourceLocation {
  /** The field, with its dot: ".writepage". */
  field: string;
  /** The bound function. */
  function: string;
  /** The struct type or variable the initialiser belongs to, when known (`ext3_ordered_aops`). */
  owner?: string;
  /**
   * The struct type of the initialiser the binding sits in (`file_operations`); '' when it sits
   * in none (an assignment `dev->open = f;`) or the type is no plain `struct name`.
   */
  ownerType?: string;
}

/** A function named as a value (passed as an argument, stored): `walk_page_buffers(..., bget_one)`. */
export interface FunctionRef extends SourceLocation {
  function: string;
  /** The function whose body holds the reference, if any. */
  inFunction: string | null;
  /** The call it is an argument of, if any. */
  argumentOf?: string;
}

/** A function-like macro that wraps a call: `#define foo(x) __foo(x, 0)`. */
export interface MacroWrapper extends SourceLocation {
  name: string;
  callee: string;
}

/** Everything the indexer learned from one file. */
export interface FileIndex {
  file: string;
  /** Content hash (hex) the entry was built from. */
  hash: string;
  functions: FunctionDef[];
  calls: CallSite[];
  bindings: OpsBinding[];
  refs: FunctionRef[];
  macros: MacroWrapper[];
  /** Names given to EXPORT_SYMBOL*(). */
  exports: string[];
  /** Why the file was skipped or only partly indexed, if it was. */
  problem?: string;
}

// ---------------------------------------------------------------------------------------------
// Impact (server/impact/)

export type Verdict = 'behaviour-change' | 'value-change' | 'no-change' | 'unknown';

/** One caller on the walk up from a changed function. */
export interface CallerImpact extends SourceLocation {
  /** The caller; `file`/`line` are its call site (pre-image). */
  function: string;
  use: ReturnUse;
  verdict: Verdict;
  /** 1 for direct callers, 2 for their callers, ... */
  depth: number;
  via: string | null;
  /** What user space sees when the walk reaches a system call, e.g. "write(2): EIO -> EBUSY". */
  userVisible: string | null;
  /** Why: the branch that flips, the code that overwrites, ... */
  reason: string;
  /** The call chain from this caller down to the changed function, outermost first. */
  path: string[];
}

export interface FunctionImpact {
  function: string;
  file: string;
  returnsBefore: string[];
  returnsAfter: string[];
  callers: CallerImpact[];
}

// ---------------------------------------------------------------------------------------------
// The review: what `kpl review` prints and the language server shows

export interface PatchSummary {
  subject: string;
  files: string[];
  author?: string;
  messageId?: string;
  baseCommit?: string;
}

/** Filled by the race simulator (a later issue); kept here so the JSON contract is whole. */
export interface RaceReport {
  scenario: string;
  before: Record<string, unknown>;
  after: Record<string, unknown>;
  changed: boolean;
  witness: { thread: string; function: string; file: string; line: number; op: string }[];
}

export interface Review {
  patches: PatchSummary[];
  changes: ErrnoChange[];
  impacts: FunctionImpact[];
  races: RaceReport[];
  warnings: Warning[];
}

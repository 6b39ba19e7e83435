// The call graph as the rest of the engine asks it questions. The indexer answers them either
// from a complete index or lazily (scan the tree for the name, parse only those files), so
// callers of this interface never know, and never wait for a whole-tree index.
import type { CallSite, FileIndex, FunctionDef, OpsBinding } from '../model';

export interface CallGraph {
  /** The tree's root folder (absolute). */
  readonly root: string;
  /** Definitions of a function (a name may be defined in several files: static functions). */
  definitions(name: string): Promise<FunctionDef[]>;
  /**
   * Every call site of a function: direct calls, calls through function-like macros that wrap
   * it, and indirect calls through an ops field it is bound to (then `via` names the field).
   */
  callers(name: string): Promise<CallSite[]>;
  /** The ops fields a function is bound to (`.releasepage = ext3_releasepage`). */
  bindings(name: string): Promise<OpsBinding[]>;
  /** The index of one tree-relative file, parsing it if needed; undefined if it does not exist. */
  file(path: string): Promise<FileIndex | undefined>;
  /**
   * Changes whenever an answer may have changed (a file indexed or reindexed): what a caller
   * keeps from the answers holds while it stays the same. Absent: answers may change any time.
   */
  readonly generation?: number;
}

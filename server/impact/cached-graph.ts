// One analysis asks the call graph the same questions many times (every caller's definition,
// every callee's call sites); a lazy graph answers each with a word scan of the tree. This wrapper
// keeps each answer for the run.
import type { CallGraph } from '../index/graph';
import type { CallSite, FileIndex, FunctionDef, OpsBinding } from '../model';

export class CachedGraph implements CallGraph {
  private defs = new Map<string, Promise<FunctionDef[]>>();
  private sites = new Map<string, Promise<CallSite[]>>();
  private binds = new Map<string, Promise<OpsBinding[]>>();
  private files = new Map<string, Promise<FileIndex | undefined>>();
  /** Questions that reached the underlying graph (for benchmarks and budgets). */
  queries = 0;

  constructor(private graph: CallGraph) {}

  get root(): string { return this.graph.root; }
  get generation(): number | undefined { return this.graph.generation; }
  /** The graph this one keeps answers of (what survives the run is keyed by it). */
  get underlying(): CallGraph { return this.graph; }

  private once<T>(map: Map<string, Promise<T>>, key: string, ask: () => Promise<T>): Promise<T> {
    let p = map.get(key);
    if (!p) { this.queries++; p = ask(); map.set(key, p); }
    return p;
  }

  definitions(name: string): Promise<FunctionDef[]> { return this.once(this.defs, name, () => this.graph.definitions(name)); }
  callers(name: string): Promise<CallSite[]> { return this.once(this.sites, name, () => this.graph.callers(name)); }
  bindings(name: string): Promise<OpsBinding[]> { return this.once(this.binds, name, () => this.graph.bindings(name)); }
  file(path: string): Promise<FileIndex | undefined> { return this.once(this.files, path, () => this.graph.file(path)); }
}

// Test helpers for the impact analysis: a post-image overlay over a tree, and a call graph built
// in memory with the real per-file indexer over every .c/.h of a small fixture tree.
import { readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { CallGraph } from '../../../server/index/graph';
import { indexFile } from '../../../server/index/file-indexer';
import { createCParser } from '../../../server/index/parser';
import type { CallSite, FileIndex, FunctionDef, OpsBinding } from '../../../server/model';
import { WorkTree, type TreeSource } from '../../../server/tree';

export const FIXTURE = resolve(__dirname, '../../fixtures/impact/tree');

/** A tree with some files replaced: the post-image, as a patch applied in memory gives it. */
export class OverlayTree implements TreeSource {
  readonly description = 'post-image';
  constructor(private base: TreeSource, private files: Record<string, string>) {}
  get root(): string { return this.base.root; }
  read(file: string): string | undefined {
    return file in this.files ? this.files[file] : this.base.read(file);
  }
}

/** The fixture's post-image with some edits: each edit replaces one exact text in one file. */
export function patched(base: TreeSource, edits: { file: string; from: string; to: string }[]): OverlayTree {
  const files: Record<string, string> = {};
  for (const e of edits) {
    const text = files[e.file] ?? base.read(e.file);
    if (text === undefined || !text.includes(e.from)) throw new Error(`fixture edit does not apply: ${e.file}: ${e.from}`);
    files[e.file] = text.replace(e.from, e.to);
  }
  return new OverlayTree(base, files);
}

function listFiles(root: string, dir = root, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) listFiles(root, p, out);
    else if (/\.[ch]$/.test(name)) out.push(relative(root, p).split('\\').join('/'));
  }
  return out;
}

/** A complete call graph held in memory, indexed with the real indexer (no cache, no workers). */
export class MemoryGraph implements CallGraph {
  private constructor(readonly root: string, private indexes: Map<string, FileIndex>) {}

  static async of(root: string): Promise<MemoryGraph> {
    const parser = await createCParser();
    const tree = new WorkTree(root);
    const map = new Map<string, FileIndex>();
    for (const f of listFiles(root)) map.set(f, indexFile(parser, f, tree.read(f)!));
    parser.delete();
    return new MemoryGraph(root, map);
  }

  private all(): FileIndex[] { return [...this.indexes.values()]; }

  async definitions(name: string): Promise<FunctionDef[]> {
    return this.all().flatMap((i) => i.functions.filter((f) => f.name === name));
  }

  async bindings(name: string): Promise<OpsBinding[]> {
    return this.all().flatMap((i) => i.bindings.filter((b) => b.function === name));
  }

  async callers(name: string): Promise<CallSite[]> {
    const fields = new Set((await this.bindings(name)).map((b) => b.field));
    const macros = new Set(this.all().flatMap((i) => i.macros.filter((m) => m.callee === name).map((m) => m.name)));
    return this.all().flatMap((i) => i.calls.flatMap((c): CallSite[] => {
      if (c.via) return fields.has(c.via) ? [{ ...c, callee: name }] : [];
      if (c.callee === name) return [c];
      if (macros.has(c.callee)) return [{ ...c, callee: name, macro: c.callee }];
      return [];
    }));
  }

  async file(path: string): Promise<FileIndex | undefined> {
    return this.indexes.get(path);
  }
}

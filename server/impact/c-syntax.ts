// Small questions the impact analysis asks of a C syntax tree: where a function's body is, which
// names are its locals and parameters, where a line sits. Parsed trees are kept per file text
// for one review, and freed together (web-tree-sitter trees live in WASM memory).
import { createHash } from 'node:crypto';
import type { Parser } from 'web-tree-sitter';
import { indexFile } from '../index/file-indexer';
import { maskKernelMacros } from '../index/extract-mask';
import type { CallGraph } from '../index/graph';
import { spliceIndex } from '../index/splice';
import { createCParser, type SyntaxNode, type Tree } from '../index/parser';
import type { FileIndex } from '../model';
import type { TreeSource } from '../tree';

/** A function's definition as found in one image of a file. */
export interface FunctionBody {
  name: string;
  file: string;
  /** The function_definition node (or, for SYSCALL_DEFINEn, the body's compound_statement). */
  node: SyntaxNode;
  body: SyntaxNode;
  params: Set<string>;
  /** 1-based first line. */
  line: number;
}

/** The name a declarator declares: digs through pointer, array, function and parenthesised forms. */
export function declaratorName(node: SyntaxNode | null): string | null {
  while (node) {
    if (node.type === 'identifier' || node.type === 'field_identifier') return node.text;
    node = node.childForFieldName('declarator') ?? node.namedChildren.find((c) => c.type.endsWith('declarator') || c.type === 'identifier') ?? null;
  }
  return null;
}

function functionDeclarator(def: SyntaxNode): SyntaxNode | null {
  let d = def.childForFieldName('declarator');
  while (d && d.type !== 'function_declarator') d = d.childForFieldName('declarator');
  return d;
}

function paramNames(decl: SyntaxNode | null): Set<string> {
  const out = new Set<string>();
  const list = decl?.childForFieldName('parameters');
  for (const p of list?.namedChildren ?? []) {
    const n = declaratorName(p.childForFieldName('declarator'));
    if (n) out.add(n);
  }
  return out;
}

/** The syscall name of `SYSCALL_DEFINEn(write, ...)` at a statement, with its parameter names. */
function syscallHeader(stmt: SyntaxNode): { name: string; params: Set<string> } | null {
  const call = stmt.type === 'expression_statement' ? stmt.namedChildren[0] : null;
  if (!call || call.type !== 'call_expression') return null;
  const fn = call.childForFieldName('function')?.text ?? '';
  if (!/^(COMPAT_)?SYSCALL_DEFINE[0-6]$/.test(fn)) return null;
  const args = call.childForFieldName('arguments')?.namedChildren.filter((a) => a.type === 'identifier') ?? [];
  if (args.length === 0) return null;
  // After the name come (type, name) pairs that tree-sitter splits oddly; keeping every identifier
  // as a "parameter" is harmless: it only makes a returned name count as unknown input.
  const params = new Set(args.slice(1).map((a) => a.text));
  return { name: `${fn.startsWith('COMPAT') ? 'compat_sys_' : 'sys_'}${args[0].text}`, params };
}

/** Every function defined at the top level of a translation unit, by name. */
export function functionsIn(root: SyntaxNode, file: string): Map<string, FunctionBody[]> {
  const out = new Map<string, FunctionBody[]>();
  const add = (f: FunctionBody) => out.set(f.name, [...(out.get(f.name) ?? []), f]);
  // Functions sit at the top level or inside #ifdef/#else blocks (kernel code has both versions).
  const top: SyntaxNode[] = [];
  const flatten = (nodes: SyntaxNode[]) => {
    for (const n of nodes) {
      // ERROR: tree-sitter's recovery around unexpanded macros wraps whole stretches of a big
      // file (kernel/sched.c) in one; the definitions inside are still whole.
      if (/^preproc_(if|ifdef|else|elif|elifdef)$/.test(n.type) || n.type === 'ERROR') flatten(n.namedChildren);
      else top.push(n);
    }
  };
  flatten(root.namedChildren);
  for (let i = 0; i < top.length; i++) {
    const n = top[i];
    if (n.type === 'function_definition') {
      const decl = functionDeclarator(n);
      const name = declaratorName(decl?.childForFieldName('declarator') ?? null);
      const body = n.childForFieldName('body');
      if (name && body) add({ name, file, node: n, body, params: paramNames(decl), line: n.startPosition.row + 1 });
    } else if (n.type === 'compound_statement' && i > 0) {
      const sys = syscallHeader(top[i - 1]);
      if (sys) add({ name: sys.name, file, node: n, body: n, params: sys.params, line: top[i - 1].startPosition.row + 1 });
    }
  }
  return out;
}

const nodesMemo = new WeakMap<FunctionBody, Map<string, SyntaxNode[]>>();

/**
 * The nodes of the given types in a function's body, in order; kept per body, since verdicts and
 * return sets ask the same body again for every call site, delta and patch (web-tree-sitter makes
 * new node objects on every walk). The array is shared: do not change it.
 */
export function nodesIn(fn: FunctionBody, types: string | string[]): SyntaxNode[] {
  let memo = nodesMemo.get(fn);
  if (!memo) nodesMemo.set(fn, (memo = new Map()));
  const key = typeof types === 'string' ? types : types.join(',');
  let nodes = memo.get(key);
  if (!nodes) memo.set(key, (nodes = fn.body.descendantsOfType(types)));
  return nodes;
}

/** The innermost node of `type` that contains a 1-based line, searching below `root`. */
export function enclosing(root: SyntaxNode, line: number, types: string[]): SyntaxNode | null {
  let found: SyntaxNode | null = null;
  const visit = (n: SyntaxNode): void => {
    if (n.startPosition.row + 1 > line || n.endPosition.row + 1 < line) return;
    if (types.includes(n.type)) found = n;
    for (const c of n.namedChildren) visit(c);
  };
  visit(root);
  return found;
}

export const stripParens = (n: SyntaxNode): SyntaxNode => {
  while (n.type === 'parenthesized_expression' && n.namedChildren.length === 1) n = n.namedChildren[0];
  return n;
};

export const oneLine = (text: string): string => text.replace(/\s+/g, ' ').trim();

interface Parsed { tree: Tree; functions: Map<string, FunctionBody[]> }

/** One text of one file (a file has several during a review: before and after each patch). */
interface Version {
  text: string;
  lines?: string[];
  /** The whole file parsed; undefined until asked, null when it gave no tree. */
  whole?: Parsed | null;
  /** The whole file parsed with kernel attribute macros blanked, for what the plain parse loses. */
  masked?: Parsed | null;
  /** Functions parsed alone from their lines, by `line\0endLine`. */
  slices: Map<string, Parsed | null>;
  /** Other answers that depend on this text alone (receivers, post-image indexes), by key. */
  answers: Map<string, unknown>;
}

/**
 * Parses files of tree sources on demand. What is kept depends on a file's text, not on which
 * image it was read from: the pre-image of a series' patch k is the post-image of k-1, and a
 * file no patch touches is the same text in every image, so it is parsed once per review.
 * Trees live in WASM memory until dispose().
 */
export class ParsedFiles {
  private parser: Parser | undefined;
  private readonly versions = new Map<string, Version[]>();
  private readonly tables = new Map<string, { version: string; entries: Map<string, unknown> }>();
  /** Characters of the texts kept (for trim). */
  private chars = 0;

  /**
   * A table of answers the analysis keeps for as long as these parsed files (a review, or the
   * language server's session), by name; emptied with them, and whenever it is asked for with
   * another `version` (the answers depend on something else that changed: the call graph). Each
   * answer must say itself which texts it depends on (walk.ts keeps a stamp of them).
   */
  table<T>(name: string, version: string): Map<string, T> {
    let t = this.tables.get(name);
    if (!t || t.version !== version) this.tables.set(name, (t = { version, entries: new Map() }));
    return t.entries as Map<string, T>;
  }

  /** Characters of file text kept. */
  get keptChars(): number { return this.chars; }

  async parserFor(): Promise<Parser> {
    this.parser ??= await createCParser();
    return this.parser;
  }

  /** The kept state of the text `source` has for `file`; null when it cannot be read. */
  private version(source: TreeSource, file: string): Version | null {
    const text = source.read(file);
    if (text === undefined) return null;
    let list = this.versions.get(file);
    if (!list) this.versions.set(file, (list = []));
    // The same string object in almost every case (the work tree reads each file once).
    let v = list.find((x) => x.text === text);
    if (!v) {
      list.push((v = { text, slices: new Map(), answers: new Map() }));
      this.chars += text.length;
    }
    return v;
  }

  /** The lines of a file in one image, or null if it cannot be read. */
  lines(source: TreeSource, file: string): string[] | null {
    const v = this.version(source, file);
    if (!v) return null;
    return (v.lines ??= v.text.split('\n'));
  }

  /**
   * An answer computed from the text of one file alone, kept with that text: asked again for
   * the same text (in any image), it is not computed again.
   */
  answer<T>(source: TreeSource, file: string, key: string, compute: (text: string) => T): T | undefined {
    const v = this.version(source, file);
    if (!v) return undefined;
    if (v.answers.has(key)) return v.answers.get(key) as T;
    const value = compute(v.text);
    v.answers.set(key, value);
    return value;
  }

  /**
   * The index of a file's text in one image: the call graph's own entry when it was built from
   * this very text (same content hash), else the text indexed here, once per text. Its function
   * ranges let a function be parsed alone (functionIn) instead of its whole file.
   */
  index(source: TreeSource, file: string, graph?: CallGraph): Promise<FileIndex | null> {
    const v = this.version(source, file);
    if (!v) return Promise.resolve(null);
    let p = v.answers.get('index') as Promise<FileIndex | null> | undefined;
    if (!p) {
      p = (async () => {
        const indexed = await graph?.file(file);
        if (indexed && indexed.hash === createHash('sha1').update(v.text).digest('hex')) return indexed;
        // A patch's post-image: the pre-image's index with the functions the patch touches
        // indexed again (splice.ts), when the edit keeps to whole functions.
        const base = source.derivedFrom;
        const baseText = base?.read(file);
        if (base && baseText !== undefined && baseText !== v.text) {
          const before = await this.index(base, file, graph);
          const spliced = before && spliceIndex(await this.parserFor(), before, baseText, v.text);
          if (spliced) return spliced;
        }
        return indexFile(await this.parserFor(), file, v.text);
      })();
      v.answers.set('index', p);
    }
    return p;
  }

  private async parseWhole(v: Version, file: string): Promise<Parsed | null> {
    if (v.whole === undefined) {
      const tree = (await this.parserFor()).parse(v.text);
      v.whole = tree ? { tree, functions: functionsIn(tree.rootNode, file) } : null;
    }
    return v.whole;
  }

  /** The functions of one file in one image, or null if the file cannot be read. */
  async functions(source: TreeSource, file: string): Promise<Map<string, FunctionBody[]> | null> {
    const v = this.version(source, file);
    return v ? (await this.parseWhole(v, file))?.functions ?? null : null;
  }

  /** The syntax tree's root of one file in one image, or null if the file cannot be read. */
  async root(source: TreeSource, file: string): Promise<SyntaxNode | null> {
    const v = this.version(source, file);
    return v ? (await this.parseWhole(v, file))?.tree.rootNode ?? null : null;
  }

  /**
   * The functions of one file in one image, read with kernel attribute macros blanked
   * (maskKernelMacros: same length and lines): `static int __init foo(void)` parses as a function
   * `__init` otherwise. Asked only for what the plain parse does not find, since the syntax
   * tree's text then shows blanks where the attributes were.
   */
  async maskedFunctions(source: TreeSource, file: string): Promise<Map<string, FunctionBody[]> | null> {
    const v = this.version(source, file);
    if (!v) return null;
    if (v.masked === undefined) {
      const tree = (await this.parserFor()).parse(maskKernelMacros(v.text).text);
      v.masked = tree ? { tree, functions: functionsIn(tree.rootNode, file) } : null;
    }
    return v.masked?.functions ?? null;
  }

  /**
   * Every definition of `name` in one image of a file: from the plain parse, else from the
   * masked one (maskedFunctions).
   */
  async definitionsOf(source: TreeSource, file: string, name: string): Promise<FunctionBody[]> {
    const plain = (await this.functions(source, file))?.get(name);
    if (plain?.length) return plain;
    return (await this.maskedFunctions(source, file))?.get(name) ?? [];
  }

  /** A function by name in one image of a file; the one nearest `nearLine` when there are several. */
  async function(source: TreeSource, file: string, name: string, nearLine?: number): Promise<FunctionBody | null> {
    const all = await this.definitionsOf(source, file, name);
    if (all.length <= 1 || nearLine === undefined) return all[0] ?? null;
    return [...all].sort((a, b) => Math.abs(a.line - nearLine) - Math.abs(b.line - nearLine))[0];
  }

  /**
   * A function by name, parsed alone from its lines (`line`..`endLine`, 1-based, as the index
   * gives them) with the lines above blanked so positions stay the file's. A caller's body is all
   * a verdict reads; a kernel file is often a hundred times longer. Falls back to the whole file
   * when the slice does not hold the function.
   */
  async functionIn(source: TreeSource, file: string, name: string, line: number, endLine: number): Promise<FunctionBody | null> {
    const v = this.version(source, file);
    if (!v) return null;
    if (v.whole !== undefined) return this.function(source, file, name, line);
    const found = (await this.slice(v, file, line, endLine))?.functions.get(name);
    if (found?.length) return found[0];
    return this.function(source, file, name, line);
  }

  /** Lines `line`..`endLine` of a file parsed alone, positions kept (the lines above blanked). */
  private async slice(v: Version, file: string, line: number, endLine: number): Promise<Parsed | null> {
    const key = `${line}\0${endLine}`;
    if (!v.slices.has(key)) {
      const lines = (v.lines ??= v.text.split('\n'));
      const slice = '\n'.repeat(Math.max(0, line - 1)) + lines.slice(Math.max(0, line - 1), endLine).join('\n') + '\n';
      const tree = (await this.parserFor()).parse(slice);
      v.slices.set(key, tree ? { tree, functions: functionsIn(tree.rootNode, file) } : null);
    }
    return v.slices.get(key) ?? null;
  }

  /** The syntax tree's root of a function's lines parsed alone (see functionIn); the whole file's when that is parsed already. */
  async sliceRoot(source: TreeSource, file: string, line: number, endLine: number): Promise<SyntaxNode | null> {
    const v = this.version(source, file);
    if (!v) return null;
    if (v.whole) return v.whole.tree.rootNode;
    return (await this.slice(v, file, line, endLine))?.tree.rootNode ?? null;
  }

  /**
   * Forgets everything kept (trees, answers, tables) once the texts kept pass `maxChars`; the
   * parser stays. Only between analyses: a FunctionBody handed out before is dead after it.
   */
  trim(maxChars: number): boolean {
    if (this.chars <= maxChars) return false;
    this.clear();
    return true;
  }

  private clear(): void {
    for (const list of this.versions.values()) {
      for (const v of list) {
        v.whole?.tree.delete();
        v.masked?.tree.delete();
        for (const p of v.slices.values()) p?.tree.delete();
      }
    }
    this.versions.clear();
    this.tables.clear();
    this.chars = 0;
  }

  /** Frees every parsed tree and the parser. */
  dispose(): void {
    this.clear();
    this.parser?.delete();
    this.parser = undefined;
  }
}

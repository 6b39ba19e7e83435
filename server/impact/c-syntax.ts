// Small questions the impact analysis asks of a C syntax tree: where a function's body is, which
// names are its locals and parameters, where a line sits. Parsed trees are cached per source and
// text for one analysis run, and freed together (web-tree-sitter trees live in WASM memory).
import type { Parser } from 'web-tree-sitter';
import { createCParser, type SyntaxNode, type Tree } from '../index/parser';
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

/** Parses files of tree sources on demand, keeping one tree per (source, file) for the run. */
export class ParsedFiles {
  private parser: Parser | undefined;
  private trees = new Map<string, { tree: Tree; functions: Map<string, FunctionBody[]> } | null>();

  async parserFor(): Promise<Parser> {
    this.parser ??= await createCParser();
    return this.parser;
  }

  /** The functions of one file in one image, or null if the file cannot be read. */
  async functions(source: TreeSource, file: string): Promise<Map<string, FunctionBody[]> | null> {
    const key = `${source.description}\0${source.root}\0${file}`;
    if (!this.trees.has(key)) {
      const text = source.read(file);
      if (text === undefined) {
        this.trees.set(key, null);
      } else {
        const tree = (await this.parserFor()).parse(text);
        this.trees.set(key, tree ? { tree, functions: functionsIn(tree.rootNode, file) } : null);
      }
    }
    return this.trees.get(key)?.functions ?? null;
  }

  /** The syntax tree's root of one file in one image, or null if the file cannot be read. */
  async root(source: TreeSource, file: string): Promise<SyntaxNode | null> {
    await this.functions(source, file);
    return this.trees.get(`${source.description}\0${source.root}\0${file}`)?.tree.rootNode ?? null;
  }

  /** A function by name in one image of a file; the one nearest `nearLine` when there are several. */
  async function(source: TreeSource, file: string, name: string, nearLine?: number): Promise<FunctionBody | null> {
    const all = (await this.functions(source, file))?.get(name) ?? [];
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
    const whole = `${source.description}\0${source.root}\0${file}`;
    if (this.trees.has(whole)) return this.function(source, file, name, line);
    const found = (await this.slice(source, file, line, endLine))?.functions.get(name);
    if (found?.length) return found[0];
    return this.function(source, file, name, line);
  }

  /** Lines `line`..`endLine` of a file parsed alone, positions kept (the lines above blanked). */
  private async slice(source: TreeSource, file: string, line: number, endLine: number): Promise<{ tree: Tree; functions: Map<string, FunctionBody[]> } | null> {
    const key = `${source.description}\0${source.root}\0${file}\0${line}\0${endLine}`;
    if (!this.trees.has(key)) {
      const text = source.read(file);
      let entry: { tree: Tree; functions: Map<string, FunctionBody[]> } | null = null;
      if (text !== undefined) {
        const lines = text.split('\n');
        const slice = '\n'.repeat(Math.max(0, line - 1)) + lines.slice(Math.max(0, line - 1), endLine).join('\n') + '\n';
        const tree = (await this.parserFor()).parse(slice);
        if (tree) entry = { tree, functions: functionsIn(tree.rootNode, file) };
      }
      this.trees.set(key, entry);
    }
    return this.trees.get(key) ?? null;
  }

  /** The syntax tree's root of a function's lines parsed alone (see functionIn); the whole file's when that is parsed already. */
  async sliceRoot(source: TreeSource, file: string, line: number, endLine: number): Promise<SyntaxNode | null> {
    const whole = this.trees.get(`${source.description}\0${source.root}\0${file}`);
    if (whole) return whole.tree.rootNode;
    return (await this.slice(source, file, line, endLine))?.tree.rootNode ?? null;
  }

  /** Frees every parsed tree and the parser. */
  dispose(): void {
    for (const t of this.trees.values()) t?.tree.delete();
    this.trees.clear();
    this.parser?.delete();
    this.parser = undefined;
  }
}

// The enclosing function of a line in a tree's file, from the source itself (tree-sitter-c):
// the function_definition that contains the line; for a kernel-doc comment, the function right
// after it. Falls back to a column-0 signature scan of the same source when macros leave the
// parse in error there. A small module on purpose: the indexer may later answer this instead.
// Both read the text with kernel attribute macros blanked (`static int __init foo(void)` would
// otherwise parse as a function `void`), the same masking the indexer uses; it keeps offsets.
import type { Parser } from 'web-tree-sitter';
import { maskKernelMacros } from '../index/extract-mask';
import { createCParser, type SyntaxNode, type Tree } from '../index/parser';
import type { FunctionDef } from '../model';
import type { TreeSource } from '../tree';
import { documentedFunction, endsFunction, isCKeyword, signatureName } from './functions';

/** The name a (possibly pointer/parenthesised) declarator declares. */
function declaredName(node: SyntaxNode | null): string | null {
  for (let n = node; n; ) {
    if (n.type === 'identifier' || n.type === 'field_identifier') return n.text;
    const inner: SyntaxNode | null = n.childForFieldName('declarator') ?? n.namedChildren.find((c) => c !== null && /declarator|identifier/.test(c.type)) ?? null;
    if (inner === n) return null;
    n = inner;
  }
  return null;
}

/** Does a declarator declare a function (`f(...)`, `*f(...)`, `(*f(...))(...)`)? */
function declaresFunction(d: SyntaxNode | null): d is SyntaxNode {
  return !!d && (d.type === 'function_declarator' || d.descendantsOfType('function_declarator').length > 0);
}

/**
 * The function a definition or prototype declares, if it declares one. A definition whose
 * declarator is no function declarator, or whose name is a C keyword or type, is a misparse
 * (an unknown macro in the signature): null, never a wrong name.
 */
function functionName(node: SyntaxNode): string | null {
  if (node.type !== 'function_definition' && node.type !== 'declaration') return null;
  const d = node.childForFieldName('declarator');
  if (!declaresFunction(d)) return null;
  const name = declaredName(d);
  return name !== null && !isCKeyword(name) ? name : null;
}

interface Parsed {
  text: string;
  /** `text` with kernel attribute macros blanked (maskKernelMacros). */
  masked: string;
  tree: Tree | null;
}

/**
 * The functions a file's index has for the text `source` has (their first and last lines). The
 * index comes from the same masked parse, so the innermost function holding a line is what the
 * syntax tree would say, without parsing a file the index was made from; where none holds it,
 * the parse decides.
 */
export type FunctionsOf = (source: TreeSource, file: string) => Promise<FunctionDef[] | null>;

export class FunctionLocator {
  private parser: Parser | undefined;
  /** Per file, each text parsed so far (the images of a series share most of them). */
  private readonly trees = new Map<string, Parsed[]>();

  private async parse(source: TreeSource, file: string): Promise<Parsed | undefined> {
    const text = source.read(file);
    if (text === undefined) return undefined;
    let list = this.trees.get(file);
    if (!list) this.trees.set(file, (list = []));
    const cached = list.find((p) => p.text === text);
    if (cached) return cached;
    let tree: Tree | null = null;
    // Same length and newlines as `text`: rows and columns stay those of the real file.
    const masked = maskKernelMacros(text).text;
    try {
      this.parser ??= await createCParser();
      tree = this.parser.parse(masked);
    } catch {
      tree = null; // the text scan below still answers
    }
    const entry = { text, masked, tree };
    list.push(entry);
    return entry;
  }

  /** Frees the parsed trees (the parser stays for the next question). */
  clear(): void {
    for (const list of this.trees.values()) for (const p of list) p.tree?.delete();
    this.trees.clear();
  }

  /** Frees the parsed trees and the parser. */
  dispose(): void {
    this.clear();
    this.parser?.delete();
    this.parser = undefined;
  }

  /**
   * The function enclosing 1-based `line` of `file` in `source` (for `doc`, the documented
   * function when the line is a comment right before one); null when there is none.
   */
  async enclosing(source: TreeSource, file: string, line: number, doc: boolean, functionsOf?: FunctionsOf): Promise<string | null | undefined> {
    if (!doc && functionsOf && source.read(file) !== undefined) {
      const holding = (await functionsOf(source, file))?.filter((f) => f.line <= line && line <= f.endLine) ?? [];
      if (holding.length > 0) return holding.reduce((a, b) => (b.line > a.line ? b : a)).name;
    }
    const parsed = await this.parse(source, file);
    if (!parsed) return undefined;
    const lines = parsed.masked.split('\n');
    if (line < 1 || line > lines.length) return undefined;
    const fromTree = parsed.tree ? this.fromSyntax(parsed.tree, lines, line, doc) : undefined;
    return fromTree !== undefined ? fromTree : this.fromText(lines, line, doc);
  }

  /** undefined when the syntax tree cannot tell (errors around the line). */
  private fromSyntax(tree: Tree, lines: string[], line: number, doc: boolean): string | null | undefined {
    const row = line - 1;
    const column = Math.max(0, lines[row].search(/\S/));
    let node: SyntaxNode | null = tree.rootNode.descendantForPosition({ row, column });
    if (doc) {
      let c = node;
      while (c && c.type !== 'comment') c = c.parent;
      if (c && c.parent?.type === 'translation_unit') {
        let next = c.nextNamedSibling;
        while (next && next.type === 'comment') next = next.nextNamedSibling;
        const name = next ? functionName(next) : null;
        if (name) return name;
      }
    }
    for (; node; node = node.parent) {
      // A definition the parser got wrong is left to the text scan (undefined), not named.
      if (node.type === 'function_definition') return functionName(node) ?? undefined;
      if (node.type === 'ERROR') return undefined;
    }
    return null;
  }

  /** The same question answered from column-0 signatures and closing braces. */
  private fromText(lines: string[], line: number, doc: boolean): string | null {
    if (doc) {
      const at = documentedFunction(lines, line - 1);
      if (at !== null) return signatureName(lines[at]);
    }
    for (let i = line - 1; i >= 0; i--) {
      if (endsFunction(lines[i]) && i !== line - 1) return null;
      const name = signatureName(lines[i]);
      if (name) return name;
    }
    return null;
  }
}

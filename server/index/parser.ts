// Loads tree-sitter-c's WASM grammar through web-tree-sitter, once per process (or worker).
// The WASM files sit next to the bundles in dist/; from sources (tests, tsx) they come from
// node_modules.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Language, Parser } from 'web-tree-sitter';

export type { Node as SyntaxNode, Tree } from 'web-tree-sitter';

function locate(file: string, moduleFile: string): string {
  const beside = join(__dirname, file);
  if (existsSync(beside)) return beside;
  return join(dirname(require.resolve(moduleFile)), file);
}

let loading: Promise<Language> | undefined;

/** The C language, loaded once. */
export function loadC(): Promise<Language> {
  loading ??= (async () => {
    await Parser.init({ locateFile: () => locate('web-tree-sitter.wasm', 'web-tree-sitter/web-tree-sitter.wasm') });
    return Language.load(locate('tree-sitter-c.wasm', 'tree-sitter-c/package.json'));
  })();
  return loading;
}

/** A new parser for C. Parsers are cheap; reuse one per worker for speed. */
export async function createCParser(): Promise<Parser> {
  const language = await loadC();
  const parser = new Parser();
  parser.setLanguage(language);
  return parser;
}

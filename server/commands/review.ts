// `kpl review PATCH|- [--tree DIR] [--format text|json|sarif] [--depth N] [--race] [--cache DIR]
// [--overrides FILE]`: reads a patch (a file, or stdin for b4's am-perpatch-check-cmd and git
// hooks) and prints the review. Unusable input (missing file, no patch, bad flag, tree not a
// folder, --overrides not a file) is a UsageError: one line on stderr, exit 2. Findings are not
// errors: exit 0.
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { NoPatchError } from '../patch/reader';
import { renderJson } from '../report/json';
import { renderSarif } from '../report/sarif';
import { renderText } from '../report/text';
import { DEFAULT_DEPTH, review } from '../review';
import { WorkTree } from '../tree';
import { choiceFlag, intFlag, parseArgs, stringFlag, UsageError } from './args';

const FORMATS = ['text', 'json', 'sarif'] as const;

function readInput(name: string): Buffer {
  if (name === '-') {
    try {
      return readFileSync(0);
    } catch (e) {
      throw new UsageError(`cannot read the patch from stdin: ${(e as Error).message}`);
    }
  }
  const st = statSync(name, { throwIfNoEntry: false });
  if (!st) throw new UsageError(`no such file: ${name}`);
  if (!st.isFile()) throw new UsageError(`not a file: ${name}`);
  try {
    return readFileSync(name);
  } catch (e) {
    throw new UsageError(`cannot read ${name}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

export async function run(argv: string[]): Promise<void> {
  const args = parseArgs(argv, ['tree', 'format', 'depth', 'cache', 'overrides'], ['race']);
  if (args.positional.length !== 1) throw new UsageError('usage: kpl review PATCH|- [--tree DIR] [--format text|json|sarif] [--depth N] [--race] [--cache DIR] [--overrides FILE]');
  const format = choiceFlag(args, 'format', FORMATS, 'text');
  const depth = intFlag(args, 'depth', DEFAULT_DEPTH, 1);
  const tree = stringFlag(args, 'tree');
  if (tree !== undefined && !statSync(tree, { throwIfNoEntry: false })?.isDirectory()) throw new UsageError(`--tree is not a folder: ${tree}`);
  // Return sets for functions the analysis gets wrong (default: .kpl-overrides.json in the tree).
  const overrides = stringFlag(args, 'overrides');
  if (overrides !== undefined && !statSync(overrides, { throwIfNoEntry: false })?.isFile()) throw new UsageError(`--overrides is not a file: ${overrides}`);
  const name = args.positional[0];
  const input = readInput(name);
  let result;
  try {
    result = await review({ input, tree, depth, cacheDir: stringFlag(args, 'cache'), overridesFile: overrides === undefined ? undefined : resolve(overrides) });
  } catch (e) {
    if (e instanceof NoPatchError) throw new UsageError(`${name === '-' ? 'stdin' : name}: ${e.message}`);
    throw e;
  }
  if (args.flags.has('race')) result.warnings.push({ message: '--race: the race simulator is not built yet; no races were simulated' });
  const root = tree === undefined ? undefined : resolve(tree);
  let out: string;
  if (format === 'json') out = renderJson(result);
  else if (format === 'sarif') out = renderSarif(result, { treeRoot: root, patchUri: name === '-' ? undefined : name });
  else out = renderText(result, { tree: root === undefined ? undefined : new WorkTree(root) });
  process.stdout.write(out);
}

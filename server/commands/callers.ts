// `kpl callers FUNC --tree DIR [--format text|json] [--cache DIR]` — every call site of one
// function and what it does with the returned value. Lazy: only the files that mention the
// name (and the ops fields it is bound to) are parsed; what was parsed is kept in the cache.
import type { CallSite } from '../model';
import { CacheLocationError } from '../index/cache-file';
import { openCallGraph, TreeError } from '../index/project';
import { choiceFlag, parseArgs, stringFlag, UsageError } from './args';

/** The JSON contract: `[{ function, file, line, use, via }]`. */
export function callersJson(sites: CallSite[]): { function: string | null; file: string; line: number; use: string; via: string | null }[] {
  return sites.map((c) => ({ function: c.caller, file: c.file, line: c.line, use: c.use, via: c.via }));
}

/** One line per site: `file:line: caller() use [via .field]`, all uses when there are several. */
export function callersText(sites: CallSite[]): string {
  return sites.map((c) => {
    const uses = c.uses.length > 1 ? ` (${c.uses.join(', ')})` : '';
    const caller = c.caller === null ? '(file scope)' : `${c.caller}()`;
    const via = c.via ? ` via ${c.via}` : '';
    const macro = c.macro ? ` through macro ${c.macro}()` : '';
    return `${c.file}:${c.line}: ${caller} ${c.use}${uses}${via}${macro}`;
  }).join('\n');
}

export async function run(argv: string[]): Promise<void> {
  const args = parseArgs(argv, ['tree', 'format', 'cache', 'max-file-size']);
  if (args.positional.length !== 1) throw new UsageError('takes one function name: kpl callers FUNC --tree DIR');
  const name = args.positional[0];
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new UsageError(`not a C function name: "${name}"`);
  const tree = stringFlag(args, 'tree');
  if (!tree) throw new UsageError('needs --tree DIR (the kernel tree to search)');
  const format = choiceFlag(args, 'format', ['text', 'json'] as const, 'text');
  let graph;
  try {
    graph = await openCallGraph(tree, { cacheDir: stringFlag(args, 'cache') });
    const sites = await graph.callers(name);
    if (format === 'json') console.log(JSON.stringify(callersJson(sites), null, 2));
    else if (sites.length > 0) console.log(callersText(sites));
    else console.error(`no call sites of ${name} in ${tree}`);
    try { graph.save(); } catch (e) { console.error(`kpl callers: could not write the cache: ${(e as Error).message}`); }
  } catch (e) {
    if (e instanceof TreeError || e instanceof CacheLocationError) throw new UsageError(e.message);
    throw e;
  } finally {
    await graph?.close();
  }
}

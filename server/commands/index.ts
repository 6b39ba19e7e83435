// `kpl index DIR [--cache DIR] [--max-file-size BYTES] [--workers N]` — builds or refreshes the
// index cache of a tree, with progress on stderr and a summary on stdout.
import { CacheLocationError } from '../index/cache-file';
import { progressSink } from '../index/progress';
import { indexTree, TreeError, type IndexSummary } from '../index/project';
import { intFlag, parseArgs, stringFlag, UsageError } from './args';

/** The summary as lines: totals, then the files skipped or partly indexed, grouped by reason. */
export function summaryLines(s: IndexSummary, maxListed = 10): string[] {
  const out = [
    `indexed ${s.files} files in ${s.seconds.toFixed(1)} s (${s.parsed} parsed, ${s.fromCache} from cache${s.removed ? `, ${s.removed} removed` : ''})`,
    `${s.functions} functions, ${s.calls} call sites, ${s.bindings} ops bindings`,
  ];
  if (s.cacheRejected) out.push(s.cacheRejected);
  if (s.problems.length > 0) {
    const groups = new Map<string, string[]>();
    for (const p of s.problems) {
      // Group by the kind of reason (sizes differ per file), keep each file's own text.
      const kind = p.reason.split(/:| near /)[0];
      const list = groups.get(kind) ?? [];
      list.push(`${p.file}: ${p.reason}`);
      groups.set(kind, list);
    }
    out.push(`${s.problems.length} files skipped or partly indexed:`);
    for (const [kind, files] of groups) {
      out.push(`  ${files.length} × ${kind}`);
      for (const f of files.slice(0, maxListed)) out.push(`    ${f}`);
      if (files.length > maxListed) out.push(`    ... and ${files.length - maxListed} more`);
    }
  }
  out.push(`cache: ${s.cacheFile}`);
  return out;
}

export async function run(argv: string[]): Promise<void> {
  const args = parseArgs(argv, ['cache', 'max-file-size', 'workers']);
  if (args.positional.length !== 1) throw new UsageError('takes one tree: kpl index DIR [--cache DIR]');
  const progress = progressSink(process.stderr);
  let graph;
  try {
    const result = await indexTree(args.positional[0], {
      cacheDir: stringFlag(args, 'cache'),
      maxFileBytes: args.flags.has('max-file-size') ? intFlag(args, 'max-file-size', 0, 1) : undefined,
      workers: args.flags.has('workers') ? intFlag(args, 'workers', 1, 1) : undefined,
      onProgress: (p) => progress.update(p),
    });
    graph = result.graph;
    progress.finish();
    graph.save();
    console.log(summaryLines(result.summary).join('\n'));
  } catch (e) {
    if (e instanceof TreeError || e instanceof CacheLocationError) throw new UsageError(e.message);
    throw e;
  } finally {
    await graph?.close();
  }
}

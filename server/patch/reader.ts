// The patch reader: bytes in, a PatchSeries out. Never throws on any input except NoPatchError,
// when the document holds no diff at all (the CLI turns that into exit 2 and one line).
import type { Patch, PatchSeries, Warning } from '../model';
import { hasDiff, readFileDiffs } from './diff';
import { readMeta, splitSeries } from './series';
import { readPatchText } from './text';

/** The input holds no diff at all: nothing to review. */
export class NoPatchError extends Error {
  constructor(message = 'no patch found in the input (no diff, no hunks)') {
    super(message);
    this.name = 'NoPatchError';
  }
}

/** Reads a patch document (mbox/series, format-patch, `git show`, plain diff) into patches. */
export function readPatchSeries(input: Uint8Array): PatchSeries {
  const { lines, warnings } = readPatchText(input, (l) => hasDiff(l));
  const patches: Patch[] = [];
  let coverBase: string | undefined;
  for (const range of splitSeries(lines)) {
    const patchWarnings: Warning[] = [];
    let patch: Patch | undefined;
    try {
      const files = readFileDiffs(lines, range.start, range.end, patchWarnings);
      const meta = readMeta(lines, range);
      patch = { meta, files, startLine: range.start + 1, endLine: Math.max(range.start + 1, range.end) };
    } catch (e) {
      // A reader bug must not cost the user the rest of the series: say what was lost.
      warnings.push({ patchLine: range.start + 1, message: `could not read this patch: ${e instanceof Error ? e.message : String(e)}` });
    }
    warnings.push(...patchWarnings);
    if (!patch) continue;
    if (patch.files.length === 0) {
      coverBase ??= patch.meta.baseCommit;
      warnings.push({ patchLine: patch.startLine, message: `"${patch.meta.subject || '(no subject)'}" holds no diff (a cover letter?): skipped` });
      continue;
    }
    patches.push(patch);
  }
  if (patches.length === 0) throw new NoPatchError();
  // `git format-patch --cover-letter --base` puts the series' base in the cover letter only.
  if (coverBase) for (const p of patches) p.meta.baseCommit ??= coverBase;
  return { patches, warnings };
}

export { hasDiff } from './diff';

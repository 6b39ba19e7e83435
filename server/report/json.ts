// The review as the design's JSON contract: the keys it names, in a fixed order, plus
// `warnings` and a few stable extras (`patch`, `functionFrom`, callers' `reason`/`path`).
import type { Review } from '../model';

/** The JSON object `kpl review --format json` prints. */
export function reviewToJson(review: Review): unknown {
  return {
    patches: review.patches.map((p) => ({
      subject: p.subject,
      files: p.files,
      ...(p.author !== undefined ? { author: p.author } : {}),
      ...(p.messageId !== undefined ? { messageId: p.messageId } : {}),
      ...(p.baseCommit !== undefined ? { baseCommit: p.baseCommit } : {}),
    })),
    changes: review.changes.map((c) => ({
      file: c.file, function: c.function, kind: c.kind, old: c.old, new: c.new,
      patchLine: c.patchLine, line: c.line, patch: c.patch, functionFrom: c.functionFrom,
    })),
    impacts: review.impacts.map((i) => ({
      function: i.function, file: i.file, returnsBefore: i.returnsBefore, returnsAfter: i.returnsAfter,
      callers: i.callers.map((c) => ({
        function: c.function, file: c.file, line: c.line, use: c.use, verdict: c.verdict, depth: c.depth,
        via: c.via, userVisible: c.userVisible, reason: c.reason, path: c.path,
      })),
    })),
    races: review.races.map((r) => ({ scenario: r.scenario, before: r.before, after: r.after, changed: r.changed, witness: r.witness })),
    warnings: review.warnings.map((w) => (w.patchLine !== undefined ? { patchLine: w.patchLine, message: w.message } : { message: w.message })),
  };
}

export function renderJson(review: Review): string {
  return JSON.stringify(reviewToJson(review), null, 2) + '\n';
}

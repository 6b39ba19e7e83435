// The review as SARIF 2.1.0, so that CI systems can show the findings: one result per errno
// change and one per caller whose behaviour or value changes, located in the tree's files
// (relative to the TREEROOT base) with the patch line as a related location.
import { pathToFileURL } from 'node:url';
import type * as Sarif from 'sarif';
import type { CallerImpact, ErrnoChange, FunctionImpact, Review } from '../model';
import { describeChange } from './text';

export interface SarifOptions {
  /** Absolute tree root, to resolve the TREEROOT base of file locations. */
  treeRoot?: string;
  /** The patch document's path or URI as the user gave it; omitted for stdin. */
  patchUri?: string;
  toolVersion?: string;
}

const RULES: Sarif.ReportingDescriptor[] = [
  {
    id: 'errno-change',
    name: 'ErrnoChange',
    shortDescription: { text: 'A function returns different error codes after the patch' },
    defaultConfiguration: { level: 'note' },
  },
  {
    id: 'caller-behaviour-change',
    name: 'CallerBehaviourChange',
    shortDescription: { text: 'A caller compares the changed error code: a branch flips' },
    defaultConfiguration: { level: 'warning' },
  },
  {
    id: 'caller-value-change',
    name: 'CallerValueChange',
    shortDescription: { text: 'A caller passes the changed error code on (returns, stores or passes it)' },
    defaultConfiguration: { level: 'note' },
  },
];

const ruleIndex = (id: string) => RULES.findIndex((r) => r.id === id);

function treeLocation(file: string, line: number, fn?: string | null): Sarif.Location {
  const physicalLocation: Sarif.PhysicalLocation = { artifactLocation: { uri: encodeURI(file), uriBaseId: 'TREEROOT' } };
  if (line >= 1) physicalLocation.region = { startLine: line };
  const loc: Sarif.Location = { physicalLocation };
  if (fn) loc.logicalLocations = [{ name: fn, kind: 'function' }];
  return loc;
}

function patchLocation(opts: SarifOptions, patchLine: number): Sarif.Location[] {
  if (!opts.patchUri || patchLine < 1) return [];
  return [{
    id: 1,
    physicalLocation: { artifactLocation: { uri: encodeURI(opts.patchUri) }, region: { startLine: patchLine } },
    message: { text: 'the changed line in the patch' },
  }];
}

function changeResult(c: ErrnoChange, opts: SarifOptions): Sarif.Result {
  const related = patchLocation(opts, c.patchLine);
  return {
    ruleId: 'errno-change',
    ruleIndex: ruleIndex('errno-change'),
    level: 'note',
    message: { text: `${c.function ? `${c.function}(): ` : ''}${describeChange(c)} [${c.kind}]` },
    locations: [treeLocation(c.file, c.line, c.function)],
    ...(related.length ? { relatedLocations: related } : {}),
    properties: { kind: c.kind, old: c.old, new: c.new, patch: c.patch, patchLine: c.patchLine },
  };
}

function callerResult(impact: FunctionImpact, c: CallerImpact): Sarif.Result {
  const id = c.verdict === 'behaviour-change' ? 'caller-behaviour-change' : 'caller-value-change';
  const codes = `${impact.returnsBefore.join(', ') || '?'} -> ${impact.returnsAfter.join(', ') || '?'}`;
  const text = `${c.function}() ${c.use} the value of ${impact.function}() (${codes})${c.via ? ` via ${c.via}` : ''}: ${c.verdict}` +
    `${c.userVisible ? `; user space sees ${c.userVisible}` : ''}${c.reason ? `. ${c.reason}` : ''}`;
  return {
    ruleId: id,
    ruleIndex: ruleIndex(id),
    level: id === 'caller-behaviour-change' ? 'warning' : 'note',
    message: { text },
    locations: [treeLocation(c.file, c.line, c.function)],
    properties: { use: c.use, verdict: c.verdict, depth: c.depth, via: c.via, userVisible: c.userVisible, path: c.path },
  };
}

/** The review as a SARIF 2.1.0 log. */
export function reviewToSarif(review: Review, opts: SarifOptions = {}): Sarif.Log {
  const results: Sarif.Result[] = review.changes.map((c) => changeResult(c, opts));
  for (const impact of review.impacts) {
    for (const c of impact.callers) {
      if (c.verdict === 'behaviour-change' || c.verdict === 'value-change') results.push(callerResult(impact, c));
    }
  }
  const run: Sarif.Run = {
    tool: {
      driver: {
        name: 'Kernel Patch Lens',
        ...(opts.toolVersion ? { version: opts.toolVersion } : {}),
        rules: RULES,
      },
    },
    invocations: [{
      executionSuccessful: true,
      toolExecutionNotifications: review.warnings.map((w) => ({ level: 'warning' as const, message: { text: w.patchLine ? `patch line ${w.patchLine}: ${w.message}` : w.message } })),
    }],
    results,
  };
  if (opts.treeRoot) {
    const uri = pathToFileURL(opts.treeRoot).href;
    run.originalUriBaseIds = { TREEROOT: { uri: uri.endsWith('/') ? uri : `${uri}/` } };
  }
  return { $schema: 'https://json.schemastore.org/sarif-2.1.0.json', version: '2.1.0', runs: [run] };
}

export function renderSarif(review: Review, opts: SarifOptions = {}): string {
  return JSON.stringify(reviewToSarif(review, opts), null, 2) + '\n';
}

// Reads the `kernelPatchLens.*` settings into KplSettings. Settings come from the client as
// untrusted JSON (initializationOptions or workspace/configuration): anything malformed falls
// back to the default for that one field instead of failing the whole server.
import type { Verdict } from '../model';
import { defaultSettings, type AnnotationLevel, type KplSettings } from '../protocol';

const levels: readonly AnnotationLevel[] = ['behaviour-changes', 'all-changes', 'everything'];
const verdicts: readonly Verdict[] = ['behaviour-change', 'value-change', 'no-change', 'unknown'];

function record(v: unknown): Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

/** Normalises a raw `kernelPatchLens` settings object (possibly nested or dotted keys). */
export function readSettings(raw: unknown): KplSettings {
  const s = record(raw);
  const a = record(s.annotations);
  // VS Code hands nested objects, but a hand-written client may use dotted keys.
  const pick = (nested: unknown, dotted: string) => (nested !== undefined ? nested : s[dotted]);
  const tree = s.tree;
  const depth = s.callerDepth;
  const cache = s.cacheFolder;
  const enabled = pick(a.enabled, 'annotations.enabled');
  const level = pick(a.level, 'annotations.level');
  const filter = pick(a.verdicts, 'annotations.verdicts');
  const d = defaultSettings;
  return {
    tree: typeof tree === 'string' ? tree.trim() : d.tree,
    callerDepth: typeof depth === 'number' && Number.isInteger(depth) && depth >= 1 && depth <= 16 ? depth : d.callerDepth,
    cacheFolder: typeof cache === 'string' ? cache.trim() : d.cacheFolder,
    annotations: {
      enabled: typeof enabled === 'boolean' ? enabled : d.annotations.enabled,
      level: levels.includes(level as AnnotationLevel) ? (level as AnnotationLevel) : d.annotations.level,
      verdicts: Array.isArray(filter) ? verdicts.filter((v) => filter.includes(v)) : [...d.annotations.verdicts],
    },
  };
}

/** True when a change of settings means the patch must be analysed again (not just redrawn). */
export function needsReanalysis(a: KplSettings, b: KplSettings): boolean {
  return a.tree !== b.tree || a.callerDepth !== b.callerDepth || a.cacheFolder !== b.cacheFolder;
}

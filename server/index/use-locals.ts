// Follows a value through the locals of one function body: `ret = f(); if (ret == -EBUSY) ...;
// if (ret) goto out; ... out: return ret;`. Flow-insensitive but honest about the common kernel
// shapes: text order stands in for control flow, a later plain assignment at the same or an outer
// nesting level ends the value's life, a guard that leaves on error (`if (ret) return ret;`)
// means later reads see no error, and `goto label` carries the value to the label.
import type { ReturnUse } from '../model';
import type { Branch, DefEvent, UseContext } from './use-context';

interface ReadEvent {
  kind: 'read';
  pos: number;
  ctx: UseContext;
}

/** After `if (ret) return ...;` at this level, later reads see no error in the local. */
interface GuardEvent {
  kind: 'guard';
  pos: number;
  chain: Branch[];
}

type FlowEvent = DefEvent | ReadEvent | GuardEvent;

interface Jump {
  label: string;
  pos: number;
}

/** Is `outer` a prefix of `inner`: does code under `outer` run whenever code under `inner` does? */
function encloses(outer: Branch[], inner: Branch[]): boolean {
  if (outer.length > inner.length) return false;
  for (let i = 0; i < outer.length; i++) if (outer[i] !== inner[i]) return false;
  return true;
}

/** Is `chain` inside an arm, not shared with `from`, taken when `name` holds an error? */
function inErrorArm(chain: Branch[], from: Branch[], name: string): boolean {
  let i = 0;
  while (i < chain.length && i < from.length && chain[i] === from[i]) i++;
  return i < chain.length && !!chain[i].errorVars?.has(name);
}

export class FunctionFlow {
  readonly locals = new Set<string>();
  private readonly events = new Map<string, FlowEvent[]>();
  private readonly sorted = new Set<string>();
  private readonly jumps: Jump[] = [];
  private readonly labels = new Map<string, { pos: number; chain: Branch[] }>();
  private readonly memo = new Map<DefEvent, { uses: ReturnUse[]; compared: string[] }>();
  private readonly active = new Set<DefEvent>();

  private push(name: string, e: FlowEvent): void {
    let list = this.events.get(name);
    if (!list) this.events.set(name, (list = []));
    list.push(e);
    this.sorted.delete(name);
  }

  def(name: string, pos: number, chain: Branch[], killing: boolean): DefEvent {
    const d: DefEvent = { kind: 'def', name, pos, chain, killing };
    this.push(name, d);
    return d;
  }

  read(name: string, pos: number, ctx: UseContext): void {
    this.push(name, { kind: 'read', pos, ctx });
  }

  guard(name: string, pos: number, chain: Branch[]): void {
    this.push(name, { kind: 'guard', pos, chain });
  }

  jump(label: string, pos: number): void {
    this.jumps.push({ label, pos });
  }

  label(label: string, pos: number, chain: Branch[]): void {
    if (!this.labels.has(label)) this.labels.set(label, { pos, chain });
  }

  private list(name: string): FlowEvent[] {
    const list = this.events.get(name) ?? [];
    if (!this.sorted.has(name)) {
      list.sort((a, b) => a.pos - b.pos);
      this.sorted.add(name);
    }
    return list;
  }

  /** Every use of the value a def put in its local, in text order. */
  usesOf(d: DefEvent): ReturnUse[] {
    return this.follow(d).uses;
  }

  /** The codes the value is compared with, through its locals (`if (ret == -EBUSY)`). */
  comparedCodes(d: DefEvent): string[] {
    return this.follow(d).compared;
  }

  private follow(d: DefEvent): { uses: ReturnUse[]; compared: string[] } {
    const known = this.memo.get(d);
    if (known) return known;
    if (this.active.has(d)) return { uses: [], compared: [] }; // `a = b; b = a;` cycles
    this.active.add(d);
    const list = this.list(d.name);
    const uses: ReturnUse[] = [];
    const compared: string[] = [];
    let killed = false;
    let derefOnly = false;
    // Scans reads after `from` until something ends the value's life; returns where it stopped.
    const scan = (from: number, chain: Branch[]): number => {
      for (const e of list) {
        if (e.pos <= from) continue;
        if (e.kind === 'read') {
          uses.push(...e.ctx.uses);
          compared.push(...e.ctx.compared);
          if (e.ctx.landing) {
            const next = this.follow(e.ctx.landing);
            uses.push(...next.uses);
            compared.push(...next.compared);
          }
          if (e.ctx.deref) derefOnly = true;
          continue;
        }
        if (e.kind === 'def' && !e.killing) continue;
        if (encloses(e.chain, chain)) { killed ||= e.kind === 'def'; return e.pos; }
        if (e.kind === 'def' && inErrorArm(e.chain, chain, d.name)) { uses.push('overwritten'); return e.pos; }
      }
      return Number.POSITIVE_INFINITY;
    };
    // Regions of text the value reaches: from the def, then from each label jumped to.
    const regions: [number, number][] = [[d.pos, scan(d.pos, d.chain)]];
    const seen = new Set<string>();
    for (let r = 0; r < regions.length; r++) {
      const [from, to] = regions[r];
      for (const j of this.jumps) {
        if (j.pos <= from || j.pos >= to || seen.has(j.label)) continue;
        seen.add(j.label);
        const target = this.labels.get(j.label);
        if (!target || regions.some(([a, b]) => target.pos > a && target.pos < b)) continue;
        // A label earlier in the text is followed too (`out:` above the error tails); for a retry
        // loop the scan meets the def itself again, which ends the value's life there.
        regions.push([target.pos, scan(target.pos, target.chain)]);
      }
    }
    this.active.delete(d);
    if (uses.length === 0) uses.push(derefOnly ? 'unknown' : killed ? 'overwritten' : 'ignored');
    // Repeats carry nothing (every reader keeps the first-seen order without repeats), and a
    // local read fifty times would otherwise hand fifty uses to every def and alias before it.
    const result = { uses: [...new Set(uses)], compared: [...new Set(compared)] };
    this.memo.set(d, result);
    return result;
  }
}

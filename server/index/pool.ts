// A pool of index worker threads (worker.ts), one parser each. A file's result comes back
// with its own string table; a crashed worker is replaced and its file reported, not retried.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { WorkerReply, WorkerRequest } from './worker';

interface Task { req: WorkerRequest; resolve: (r: WorkerReply) => void }

// Two files in flight per worker keep it busy while the main thread takes the previous reply.
const IN_FLIGHT = 2;

/**
 * Where the worker's code is: the bundle beside us in dist/, or else the TypeScript source. A
 * worker does not inherit the main thread's tsx hooks, so from sources it starts with a line of
 * JavaScript that registers tsx's CommonJS hook and then loads worker.ts.
 */
function workerEntry(): { file: string; eval: boolean } {
  const bundled = join(__dirname, 'index-worker.js');
  if (existsSync(bundled)) return { file: bundled, eval: false };
  const source = join(__dirname, 'worker.ts');
  // createRequire keeps esbuild from bundling tsx: it is only there when running from sources.
  const tsx = createRequire(__filename).resolve('tsx/cjs');
  return { file: `require(${JSON.stringify(tsx)}); require(${JSON.stringify(source)});`, eval: true };
}

export function defaultWorkerCount(): number {
  return Math.max(1, Math.min(8, availableParallelism()));
}

class Slot {
  worker: Worker;
  busy = new Map<number, Task>();
  constructor(private readonly pool: ParsePool, maxBytes: number) {
    const entry = workerEntry();
    this.worker = new Worker(entry.file, { workerData: { maxBytes }, eval: entry.eval });
    this.worker.on('message', (reply: WorkerReply) => {
      const task = this.busy.get(reply.id);
      this.busy.delete(reply.id);
      task?.resolve(reply);
      this.pool.pump();
    });
    const fail = (why: string) => {
      for (const task of this.busy.values()) task.resolve({ id: task.req.id, strings: [], fatal: why });
      this.busy.clear();
      this.pool.replace(this);
    };
    this.worker.on('error', (e) => fail(`the index worker crashed on this file: ${e.message}`));
    this.worker.on('exit', (code) => { if (!this.pool.closed) fail(`the index worker exited (code ${code}) on this file`); });
    this.worker.unref();
  }
}

export class ParsePool {
  private slots: Slot[] = [];
  // A queue with a moving head: shift() on a 20k-long array would copy it each time.
  private queue: Task[] = [];
  private head = 0;
  private nextId = 0;
  closed = false;

  constructor(private readonly size: number, private readonly maxBytes: number) {}

  /** Indexes one file in a worker. Always resolves; `fatal` says when the worker failed. */
  index(abs: string, rel: string): Promise<WorkerReply> {
    return new Promise((resolve) => {
      this.queue.push({ req: { id: this.nextId++, abs, rel }, resolve });
      this.pump();
    });
  }

  /** Starts every worker and has it load the parser now, ahead of the files to come. */
  start(): void {
    if (this.closed) return;
    while (this.slots.length < this.size) {
      const slot = new Slot(this, this.maxBytes);
      slot.worker.postMessage('warm');
      this.slots.push(slot);
    }
  }

  pump(): void {
    if (this.closed) return;
    const waiting = () => this.queue.length - this.head;
    while (this.slots.length < this.size && waiting() > this.slots.length * IN_FLIGHT) this.slots.push(new Slot(this, this.maxBytes));
    for (const slot of this.slots) {
      while (slot.busy.size < IN_FLIGHT && waiting() > 0) {
        const task = this.queue[this.head++];
        slot.busy.set(task.req.id, task);
        slot.worker.postMessage(task.req);
      }
      // An idle worker must not keep the process alive (the CLI exits when its work is done).
      if (slot.busy.size > 0) slot.worker.ref(); else slot.worker.unref();
    }
    if (this.head > 1024 && this.head * 2 > this.queue.length) { this.queue = this.queue.slice(this.head); this.head = 0; }
  }

  replace(dead: Slot): void {
    this.slots = this.slots.filter((s) => s !== dead);
    void dead.worker.terminate().catch(() => undefined);
    this.pump();
  }

  /** Stops the workers; files queued or in flight resolve as `closed` (not indexed). */
  async close(): Promise<void> {
    this.closed = true;
    const pending = [...this.queue.slice(this.head), ...this.slots.flatMap((s) => [...s.busy.values()])];
    for (const s of this.slots) s.busy.clear();
    for (const task of pending) task.resolve({ id: task.req.id, strings: [], fatal: 'the index was closed', closed: true });
    this.queue = [];
    this.head = 0;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
    this.slots = [];
  }
}

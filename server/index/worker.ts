// A worker thread of the index: one tree-sitter parser, files in, packed indexes out (the
// packed data's buffer is transferred, not copied). Bundled to dist/index-worker.js.
import { parentPort, workerData } from 'node:worker_threads';
import type { Parser } from 'web-tree-sitter';
import { indexOneFile } from './index-one';
import { LocalStrings } from './packed';
import { createCParser } from './parser';

export interface WorkerRequest { id: number; abs: string; rel: string }
export interface WorkerReply {
  id: number;
  /** Absent when the file is gone. */
  result?: { size: number; mtimeMs: number; hash: string; problem?: string; data: Int32Array };
  strings: string[];
  /** Set when the worker itself could not work (parser failed to load). */
  fatal?: string;
  /** Set when the pool was closed before the file was indexed: nothing is known about it. */
  closed?: boolean;
}

const { maxBytes } = workerData as { maxBytes: number };
let parser: Promise<Parser> | undefined;

parentPort?.on('message', async (req: WorkerRequest | 'warm') => {
  // Loading the grammar takes a while: the pool asks for it while the tree is being scanned.
  if (req === 'warm') { parser ??= createCParser(); return; }
  let reply: WorkerReply;
  try {
    const p = await (parser ??= createCParser());
    const strings = new LocalStrings();
    const result = indexOneFile(p, req.abs, req.rel, maxBytes, strings);
    reply = { id: req.id, result, strings: strings.list };
  } catch (e) {
    reply = { id: req.id, strings: [], fatal: (e as Error).message };
  }
  parentPort!.postMessage(reply, reply.result ? [reply.result.data.buffer as ArrayBuffer] : []);
});

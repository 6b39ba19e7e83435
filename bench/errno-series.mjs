// A generated series of errno-changing patches over a tree, for the impact benchmark.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { listSourceFiles } from '../server/index/walk.ts';
import { oneLineDiff, swapErrno } from '../server/patch/edit.ts';

/**
 * A series of n real-looking patches over the tree: each changes one errno line
 * (`return -EIO;` -> `return -EBUSY;`, anything else -> -EIO), cycling over the tree's errno
 * lines, each diff made against the text the previous patches left, so all apply in order.
 */
export function errnoSeries(root, n) {
  const sites = [];
  const text = new Map();
  for (const f of listSourceFiles(root).filter((f) => f.endsWith('.c')).sort()) {
    const lines = readFileSync(join(root, f), 'latin1').split('\n');
    lines.forEach((l, i) => { if (/^\s*(return|[a-z_]+ =) -E[A-Z0-9]+;\s*$/.test(l)) sites.push({ f, i }); });
    text.set(f, lines);
  }
  if (sites.length === 0) throw new Error(`no errno lines in ${root}`);
  const step = Math.max(1, Math.floor(sites.length / n));
  const parts = [];
  for (let k = 0; k < n; k++) {
    const { f, i } = sites[(k * step) % sites.length];
    const lines = text.get(f);
    const code = /-E[A-Z0-9]+/.exec(lines[i])[0];
    const changed = swapErrno(lines[i]);
    const diff = oneLineDiff(f, lines, i, changed);
    lines[i] = changed;
    parts.push([
      `From ${String(k + 1).padStart(40, '0')} Mon Sep 17 00:00:00 2001`,
      'From: Bench <bench@example.org>',
      `Subject: [PATCH ${k + 1}/${n}] ${f}: ${code} -> ${changed.trim()}`,
      '',
      `Patch ${k + 1} of a generated series.`,
      '---',
      `diff --git a/${f} b/${f}`,
      ...diff,
      '',
    ].join('\n'));
  }
  return Buffer.from(parts.join('\n'));
}


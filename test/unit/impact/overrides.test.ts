import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OVERRIDES_FILE, loadOverrides, parseOverrides } from '../../../server/impact/overrides';
import type { Warning } from '../../../server/model';

test('reads .kpl-overrides.json from the tree root', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kpl-ovr-'));
  try {
    writeFileSync(join(dir, OVERRIDES_FILE), JSON.stringify({ do_launder_page: ['0', '- EIO'] }));
    const w: Warning[] = [];
    assert.deepEqual([...loadOverrides(dir, w)], [['do_launder_page', ['0', '-EIO']]]);
    assert.match(w[0].message, /return sets of do_launder_page taken from/);
    assert.equal(loadOverrides(join(dir, 'none'), []).size, 0); // no file: nothing, silently
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test('bad files and entries are reported and ignored, never thrown', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kpl-ovr-'));
  try {
    writeFileSync(join(dir, OVERRIDES_FILE), '{ not json');
    const w: Warning[] = [];
    assert.equal(loadOverrides(dir, w).size, 0);
    assert.match(w[0].message, /not valid JSON/);
    const w2: Warning[] = [];
    const m = parseOverrides({ good: ['0'], 'bad name': ['0'], nums: [0], empty: [''] }, 'x', w2);
    assert.deepEqual([...m.keys()], ['good']);
    assert.equal(w2.length, 3);
    assert.equal(parseOverrides([1, 2], 'x', w2).size, 0);
    const w3: Warning[] = [];
    assert.equal(loadOverrides(dir, w3, join(dir, 'missing.json')).size, 0);
    assert.match(w3[0].message, /cannot be read/);
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

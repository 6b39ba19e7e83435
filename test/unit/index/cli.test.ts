// `kpl index` and `kpl callers` as users run them: the built bundle (bin/kpl.js after the
// build), real worker threads, a cache folder of the test's own. Checks the JSON contract
// exactly, the text lines, and exit code 2 with one line for unusable input.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { indexerFingerprint } from '../../../server/index/cache-file';
import { makeTree, snapshot, type Fixture } from './tree-fixture';

const repo = join(__dirname, '..', '..', '..');
let fx: Fixture;

function kpl(...args: string[]): { code: number | null; out: string; err: string } {
  // The user's cache folder is never touched by tests: XDG_CACHE_HOME points into the fixture.
  const env = { ...process.env, XDG_CACHE_HOME: `${fx.cache}-xdg` };
  const r = spawnSync(process.execPath, [join(repo, 'bin', 'kpl.js'), ...args], { encoding: 'utf8', timeout: 60_000, env });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

before(() => {
  const build = spawnSync(process.execPath, [join(repo, 'scripts', 'build.mjs')], { encoding: 'utf8' });
  assert.equal(build.status, 0, build.stderr);
  fx = makeTree();
  process.on('exit', () => fx.cleanup());
});

test('the bundles carry the same cache fingerprint as the sources (one cache for CLI, server, tests)', () => {
  const bundle = readFileSync(join(repo, 'dist', 'kpl.js'), 'utf8');
  assert.ok(bundle.includes(`return "${indexerFingerprint()}"`), 'dist/kpl.js was built with another fingerprint');
});

test('kpl callers --format json: exactly [{ function, file, line, use, via }]', () => {
  const tree = snapshot(fx.root);
  const r = kpl('callers', 'ext3_releasepage', '--tree', fx.root, '--cache', fx.cache, '--format', 'json');
  assert.equal(r.code, 0, r.err);
  const sites = JSON.parse(r.out) as Record<string, unknown>[];
  assert.deepEqual(sites, [{ function: 'try_to_release_page', file: 'mm/filemap.c', line: 7, use: 'propagated', via: '.releasepage' }]);
  const direct = JSON.parse(kpl('callers', 'invalidate_inode_pages2_range', '--tree', fx.root, '--cache', fx.cache, '--format', 'json').out) as Record<string, unknown>[];
  assert.equal(direct.length, 4);
  for (const s of direct) {
    assert.deepEqual(Object.keys(s), ['function', 'file', 'line', 'use', 'via']);
    assert.ok(typeof s.function === 'string' && typeof s.file === 'string' && Number.isInteger(s.line) && typeof s.use === 'string' && s.via === null);
  }
  assert.deepEqual(snapshot(fx.root), tree, 'the tree is not written');
});

test('kpl callers text: file:line: caller() use [via .field]', () => {
  const r = kpl('callers', 'ext3_releasepage', '--tree', fx.root, '--cache', fx.cache);
  assert.equal(r.code, 0, r.err);
  assert.equal(r.out, 'mm/filemap.c:7: try_to_release_page() propagated via .releasepage\n');
});

test('kpl index: plain progress lines off a terminal, then the summary', () => {
  const r = kpl('index', fx.root, '--cache', `${fx.cache}-cold`, '--max-file-size', '8192');
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^indexed 9 files in [\d.]+ s \(9 parsed, 0 from cache\)$/m);
  assert.match(r.out, /functions, \d+ call sites/);
  assert.match(r.out, /drivers\/fw\/table\.h: skipped: .* over the size limit of 8\.0 KiB/);
  assert.match(r.err, /9\/9 files 100%/);
  assert.doesNotMatch(r.err, /\x1b\[/, 'no terminal codes when stderr is not a terminal');
  const warm = kpl('index', fx.root, '--cache', `${fx.cache}-cold`, '--max-file-size', '8192');
  assert.match(warm.out, /\(0 parsed, 9 from cache\)/);
});

test('unusable input: exit 2 and one line on stderr', () => {
  for (const args of [
    ['callers', 'f', '--tree', join(fx.root, 'missing')],
    ['callers', 'f'],
    ['callers', 'not-a-name', '--tree', fx.root],
    ['callers', 'f', '--tree', fx.root, '--format', 'xml'],
    ['index', join(fx.root, 'missing')],
    ['index', fx.root, '--cache', join(fx.root, 'mm')],
    ['index'],
  ]) {
    const r = kpl(...args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.err}`);
    assert.equal(r.err.trim().split('\n').length, 1, r.err);
    assert.match(r.err, /^kpl (callers|index): /);
  }
});

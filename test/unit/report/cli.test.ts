// `kpl review` end to end through the built CLI (`node bin/kpl.js`, after `npm run build`):
// exit 0 with findings, stdin as the patch, and exit 2 with one line for every unusable input.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..', '..', '..');
const example = join(root, 'examples', 'patches', 'vfs-dio-eio-ebusy.patch');
const shared = '/work/shared/patches/vfs-dio-eio-ebusy.patch';
const patchFile = (() => { try { readFileSync(example); return example; } catch { return shared; } })();
const fixtures = join(root, 'test', 'fixtures', 'patches');
const cache = mkdtempSync(join(tmpdir(), 'kpl-cache-'));
after(() => rmSync(cache, { recursive: true, force: true }));

function kpl(args: string[], input?: Buffer | string) {
  const r = spawnSync(process.execPath, [join(root, 'bin', 'kpl.js'), ...args], { cwd: root, input, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

before(() => {
  const b = spawnSync('npm', ['run', 'build'], { cwd: root, encoding: 'utf8', timeout: 120_000 });
  assert.equal(b.status, 0, `npm run build failed:\n${b.stdout}\n${b.stderr}`);
});

test('review --tree --format json names invalidate_inode_pages2_range with -EIO -> -EBUSY (assign and doc)', () => {
  const r = kpl(['review', patchFile, '--tree', 'examples/tree', '--format', 'json', '--cache', cache]);
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out);
  const mine = j.changes.filter((c: any) => c.function === 'invalidate_inode_pages2_range' && c.old[0] === '-EIO' && c.new[0] === '-EBUSY');
  assert.deepEqual(mine.map((c: any) => c.kind).sort(), ['assign', 'doc']);
  assert.deepEqual(Object.keys(j).slice(0, 4), ['patches', 'changes', 'impacts', 'races']);
});

test('review - reads the patch from stdin (b4 am-perpatch-check-cmd)', () => {
  const r = kpl(['review', '-'], readFileSync(patchFile));
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^mm\/truncate\.c:443: invalidate_inode_pages2_range\(\): assigns -EBUSY instead of -EIO/m);
  assert.match(r.out, /callers are not available/);
});

test('--format sarif prints a SARIF 2.1.0 log; --race is a warning, not a failure', () => {
  const r = kpl(['review', join(fixtures, 'series.mbox'), '--format', 'sarif', '--race']);
  assert.equal(r.code, 0, r.err);
  const log = JSON.parse(r.out);
  assert.equal(log.version, '2.1.0');
  assert.equal(log.runs[0].results.length, 5);
  assert.ok(log.runs[0].invocations[0].toolExecutionNotifications.some((n: any) => /race simulator is not built yet/.test(n.message.text)));
});

test('unusable input exits 2 with one line on stderr and nothing on stdout', () => {
  const cases: [string[], Buffer | string | undefined, RegExp][] = [
    [['review', join(fixtures, 'missing.patch')], undefined, /no such file/],
    [['review', join(fixtures, 'not-a-patch.txt')], undefined, /no patch found/],
    [['review', '-'], 'hello, no diff here\n', /stdin: no patch found/],
    [['review', '-'], Buffer.from([0xff, 0xfe, 0x00, 0x41]), /no patch found/],
    [['review', patchFile, '--tree', join(fixtures, 'plain.diff')], undefined, /--tree is not a folder/],
    [['review', patchFile, '--tree', join(fixtures, 'no-such-dir')], undefined, /--tree is not a folder/],
    [['review', patchFile, '--format', 'xml'], undefined, /--format takes one of text\|json\|sarif/],
    [['review', patchFile, '--depth', 'deep'], undefined, /--depth takes a whole number/],
    [['review', patchFile, '--bogus'], undefined, /unknown option --bogus/],
    [['review'], undefined, /usage: kpl review/],
    [['review', fixtures], undefined, /not a file/],
  ];
  for (const [args, input, re] of cases) {
    const r = kpl(args, input);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.err}`);
    assert.match(r.err, re);
    assert.equal(r.err.trim().split('\n').length, 1, `one line: ${r.err}`);
    assert.equal(r.out, '');
  }
});

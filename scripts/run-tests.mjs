// Runs node's own test runner over every *.test.ts below the folders given (or the files named) (TypeScript through
// tsx), so that the closing lines report pass/fail counts. Extra node flags may follow `--`.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const args = process.argv.slice(2);
const dashes = args.indexOf('--');
const dirs = dashes < 0 ? args : args.slice(0, dashes);
const extra = dashes < 0 ? [] : args.slice(dashes + 1);

function collect(dir, out) {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) { if (name !== 'fixtures') collect(p, out); }
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}
const files = dirs.flatMap((d) => (statSync(d).isDirectory() ? collect(d, []) : [d]));
if (files.length === 0) { console.error(`no *.test.ts under ${dirs.join(' ')}`); process.exit(1); }
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...extra, ...files], { stdio: 'inherit' });
process.exit(r.status ?? 1);

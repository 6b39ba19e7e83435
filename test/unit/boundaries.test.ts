// Keeps the dependency direction client -> server -> sim: the server never imports `vscode` or
// the client, the simulator imports nothing from the server or the client.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(__dirname, '..', '..');

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sources(p));
    else if (name.endsWith('.ts')) out.push(p);
  }
  return out;
}

function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:from\s+|import\s*\(\s*|require\s*\(\s*)['"]([^'"]+)['"]/g)].map((m) => m[1]);
}

function offending(dir: string, bad: (spec: string, file: string) => boolean): string[] {
  return sources(join(root, dir)).flatMap((f) => imports(f).filter((s) => bad(s, f)).map((s) => `${relative(root, f)} imports ${s}`));
}

test('server/ never imports vscode or client/', () => {
  assert.deepEqual(offending('server', (s) => s === 'vscode' || s.startsWith('vscode/') || /(^|\/)client\//.test(s)), []);
});

test('sim/ imports nothing from server/ or client/, nor any LSP library', () => {
  assert.deepEqual(offending('sim', (s) => /(^|\/)(server|client)\//.test(s) || s.startsWith('vscode')), []);
});

test('the check itself sees imports (a file that imports vscode is caught)', () => {
  assert.ok(imports(join(root, 'test', 'unit', 'boundaries.test.ts')).includes('node:test'));
});

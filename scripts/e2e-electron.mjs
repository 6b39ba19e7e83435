// The same end-to-end check in a desktop VS Code through @vscode/test-electron, for people who
// have one installed: these machines cannot download VS Code, so the executable must be given.
//   VSCODE_EXECUTABLE_PATH=/usr/share/code/code node scripts/e2e-electron.mjs
// (run `npm run build` first). The suite runs inside VS Code: test/e2e/electron/suite.cjs.
import { runTests } from '@vscode/test-electron';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const vscodeExecutablePath = process.env.VSCODE_EXECUTABLE_PATH;
if (!vscodeExecutablePath) {
  console.error('e2e-electron: set VSCODE_EXECUTABLE_PATH to an installed desktop VS Code (npm run test:e2e uses code-server instead)');
  process.exit(2);
}
try {
  await runTests({
    vscodeExecutablePath,
    extensionDevelopmentPath: root,
    extensionTestsPath: join(root, 'test', 'e2e', 'electron', 'suite.cjs'),
    launchArgs: [join(root, 'examples'), '--disable-extensions', '--disable-workspace-trust', '--user-data-dir', mkdtempSync(join(tmpdir(), 'kpl-electron-'))],
  });
} catch (e) {
  console.error(`e2e-electron: ${e instanceof Error ? e.message : e}`);
  process.exit(1);
}

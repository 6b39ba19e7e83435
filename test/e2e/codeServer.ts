// Starts a real VS Code for the end-to-end test: code-server (installed by scripts/e2e-setup.sh
// into .e2e/code-server, outside the extension's dependencies) with throw-away user-data and
// extensions folders, the VSIX installed into them, on 127.0.0.1 with no auth.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const root = join(__dirname, '..', '..');
export const e2eDir = process.env.KPL_E2E_DIR ?? join(root, '.e2e');
export const codeServerBin = join(e2eDir, 'code-server', 'node_modules', '.bin', 'code-server');
export const vsix = join(root, 'kernel-patch-lens.vsix');
export const resultsDir = join(root, 'test-results');

export interface RunningCodeServer {
  url: string;
  workspace: string;
  child: ChildProcess;
  log: string[];
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

async function waitForHttp(url: string, timeoutMs: number, log: string[]): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    try {
      const r = await fetch(url);
      if (r.status < 500) return;
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`code-server did not answer on ${url} within ${timeoutMs} ms:\n${log.join('')}`);
}

export async function startCodeServer(): Promise<RunningCodeServer> {
  if (!existsSync(codeServerBin)) throw new Error(`code-server is not installed at ${codeServerBin}: run bash scripts/e2e-setup.sh (npm run test:e2e does)`);
  if (!existsSync(vsix)) throw new Error(`${vsix} is missing: run npm run package (npm run test:e2e does)`);
  const scratch = mkdtempSync(join(tmpdir(), 'kpl-e2e-'));
  const userData = join(scratch, 'user-data');
  const extensions = join(scratch, 'extensions');
  // A copy of the example workspace: nothing the test does may touch the repository's files.
  const workspace = join(scratch, 'examples');
  cpSync(join(root, 'examples'), workspace, { recursive: true });
  mkdirSync(join(userData, 'User'), { recursive: true });
  writeFileSync(join(userData, 'User', 'settings.json'), JSON.stringify({
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'telemetry.telemetryLevel': 'off',
    'security.workspace.trust.enabled': false,
    'extensions.ignoreRecommendations': true,
    'update.mode': 'none',
    'editor.codeLens': true,
    'editor.inlayHints.enabled': 'on',
    'editor.hover.delay': 200,
    'kernelPatchLens.cacheFolder': join(scratch, 'cache'),
    // Every changed error-code line speaks, so the annotations can be seen with or without callers.
    'kernelPatchLens.annotations.level': 'everything',
  }, null, 2));
  const common = ['--user-data-dir', userData, '--extensions-dir', extensions];
  const install = spawnSync(codeServerBin, [...common, '--install-extension', vsix], { encoding: 'utf8', timeout: 120_000 });
  if (install.status !== 0) throw new Error(`installing the VSIX failed: ${install.stdout}${install.stderr}`);
  const port = await freePort();
  const log: string[] = [];
  const child = spawn(codeServerBin, [
    ...common, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`,
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override', workspace,
  ], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, XDG_CACHE_HOME: join(scratch, 'cache') } });
  child.stdout!.on('data', (d) => log.push(String(d)));
  child.stderr!.on('data', (d) => log.push(String(d)));
  const base = `http://127.0.0.1:${port}`;
  await waitForHttp(`${base}/healthz`, 60_000, log);
  return {
    url: `${base}/?folder=${encodeURIComponent(workspace)}`,
    workspace, child, log,
    async stop() {
      if (child.exitCode === null) {
        const gone = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        const t = setTimeout(() => child.kill('SIGKILL'), 5000);
        await gone;
        clearTimeout(t);
      }
      // The extension host may still be finishing a write as code-server goes: retry, and never
      // fail the run over a leftover temp folder.
      try { rmSync(scratch, { recursive: true, force: true, maxRetries: 10, retryDelay: 300 }); } catch { /* left in tmp */ }
    },
  };
}

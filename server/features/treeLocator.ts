// Finds the kernel tree a patch is reviewed against: the `tree` setting when given, else a
// workspace folder (or a folder right below one, as in the example workspace) holding a
// kernel's top-level Makefile, mm/ and fs/.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface LocatedTree {
  root: string | null;
  /** How the tree was found, or why none was: shown in the status bar tooltip and in reasons. */
  how: string;
}

function isDir(p: string): boolean {
  try { return statSync(p).isDirectory(); } catch { return false; }
}

/** A folder that looks like the top of a kernel tree. */
export function looksLikeKernelTree(dir: string): boolean {
  return existsSync(join(dir, 'Makefile')) && isDir(join(dir, 'mm')) && isDir(join(dir, 'fs'));
}

/** Turns a `file:` URI into a path; anything else (untitled:, vscode-remote:) gives null. */
export function uriToPath(uri: string): string | null {
  if (!uri.startsWith('file:')) return null;
  try { return fileURLToPath(uri); } catch { return null; }
}

export function locateTree(setting: string, workspaceFolders: string[]): LocatedTree {
  if (setting) {
    const base = workspaceFolders[0] ?? process.cwd();
    const root = isAbsolute(setting) ? setting : resolve(base, setting);
    if (!isDir(root)) return { root: null, how: `the kernelPatchLens.tree setting names ${root}, which is not a folder` };
    return { root, how: `kernelPatchLens.tree setting` };
  }
  for (const folder of workspaceFolders) {
    if (looksLikeKernelTree(folder)) return { root: folder, how: 'workspace folder with Makefile, mm/ and fs/' };
  }
  for (const folder of workspaceFolders) {
    let names: string[] = [];
    try { names = readdirSync(folder).sort(); } catch { continue; }
    for (const name of names) {
      const sub = join(folder, name);
      if (!name.startsWith('.') && isDir(sub) && looksLikeKernelTree(sub)) return { root: sub, how: `folder ${name}/ of the workspace with Makefile, mm/ and fs/` };
    }
  }
  return {
    root: null,
    how: workspaceFolders.length
      ? 'no kernel tree in the workspace (no folder with Makefile, mm/ and fs/); set kernelPatchLens.tree'
      : 'no workspace folder is open; open a kernel tree or set kernelPatchLens.tree',
  };
}

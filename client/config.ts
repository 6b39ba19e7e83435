// Every `kernelPatchLens.*` setting, read in one place with one typed getter each. The server
// gets them through workspace/configuration; the client reads them for its own features.
import * as vscode from 'vscode';
import type { AnnotationLevel, KplSettings } from '../server/protocol';
import type { Verdict } from '../server/model';

const section = 'kernelPatchLens';
const cfg = () => vscode.workspace.getConfiguration(section);

export const config = {
  /** Kernel tree folder (empty: detect in the workspace). Changing it re-analyses open patches. */
  tree: () => cfg().get<string>('tree', ''),
  callerDepth: () => cfg().get<number>('callerDepth', 4),
  cacheFolder: () => cfg().get<string>('cacheFolder', ''),
  annotationsEnabled: () => cfg().get<boolean>('annotations.enabled', true),
  annotationLevel: () => cfg().get<AnnotationLevel>('annotations.level', 'all-changes'),
  annotationVerdicts: () => cfg().get<Verdict[]>('annotations.verdicts', ['behaviour-change', 'value-change', 'no-change', 'unknown']),

  /** The whole section as the server reads it (initializationOptions). */
  all(): KplSettings {
    return {
      tree: config.tree(), callerDepth: config.callerDepth(), cacheFolder: config.cacheFolder(),
      annotations: { enabled: config.annotationsEnabled(), level: config.annotationLevel(), verdicts: config.annotationVerdicts() },
    };
  },

  async setTree(folder: string): Promise<void> {
    await cfg().update('tree', folder, vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global);
  },

  async setAnnotationsEnabled(on: boolean): Promise<void> {
    await cfg().update('annotations.enabled', on, vscode.ConfigurationTarget.Global);
  },

  section,
};

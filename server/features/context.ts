// What every LSP feature is handed: the connection, the open documents, the analyses, the
// settings, the located tree, the client's recorded capabilities and the call graph's answers.
import type { Connection, TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { CallSite, FunctionDef } from '../model';
import type { KplSettings } from '../protocol';
import type { Analyser } from './analysis';
import type { Engine } from './engine';
import type { LocatedTree } from './treeLocator';

/** The client capabilities the features degrade on, recorded in onInitialize. */
export interface RecordedCapabilities {
  configuration: boolean;
  workspaceFolders: boolean;
  inlayHintRefresh: boolean;
  codeLensRefresh: boolean;
  workDoneProgress: boolean;
  markdownHover: boolean;
  relatedInformation: boolean;
}

export interface FeatureContext {
  connection: Connection;
  documents: TextDocuments<TextDocument>;
  analyser: Analyser;
  engine: Engine;
  capabilities: RecordedCapabilities;
  settings(): KplSettings;
  tree(): LocatedTree;
  /** Definitions of a function in the tree (empty without a tree or when the index fails). */
  definitions(name: string): Promise<FunctionDef[]>;
  /** Direct call sites of a function in the tree. */
  callSites(name: string): Promise<CallSite[]>;
  log(message: string): void;
}

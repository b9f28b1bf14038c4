/**
 * Questions the host asks the person itself, never through the window: where to save a file, and
 * yes/no confirmations for answers that matter (exporting secrets…). Electron implements them with
 * native dialogs, the browser harness with its own terminal prompt, the CLI with its arguments.
 * The window cannot answer them, so a compromised window cannot skip them.
 */
export interface SaveFileRequest {
  title: string;
  /** A file name (no folder) to suggest. */
  suggestedName: string;
  filters?: Array<{ name: string; extensions: string[] }>;
}

export interface ConfirmRequest {
  message: string;
  detail?: string;
  /** The label of the button that says yes. */
  confirmLabel: string;
}

export interface HostDialogs {
  /** Where to save a file; undefined when the person cancels. The dialog itself asks before replacing a file. */
  chooseSavePath(request: SaveFileRequest): Promise<string | undefined>;
  /** A question the person answers on the host side; false when declined or dismissed. */
  confirm(request: ConfirmRequest): Promise<boolean>;
  /** A file (or folder) to open, chosen on the host side; undefined when cancelled. Optional: not every host has one. */
  chooseOpenPath?(request: OpenFileRequest): Promise<string | undefined>;
}

export interface OpenFileRequest {
  title: string;
  filters?: Array<{ name: string; extensions: string[] }>;
  /** Folders may be chosen as well as files. */
  allowFolders?: boolean;
}

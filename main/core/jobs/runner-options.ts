/**
 * What the job runner is given by its host (the Electron main side, the browser harness, the command line):
 * where events go, where logs and History records are kept, the host's own dialogs, and the connections an
 * input prompt may offer.
 */
import type { ConnectionKind } from '../../../providers/api/index';
import type { JobSnapshot, Prompt } from '../../../preload/contract';
import type { HostDialogs } from '../host-dialogs';
import type { JobHistory } from '../job-history';
import type { LastChoices } from '../last-choices';
import type { SecretStore } from '../secret-store';

export interface JobEvents {
  updated(snapshot: JobSnapshot): void;
  prompt(prompt: Prompt): void;
  promptClosed(jobId: string, promptId: string): void;
}

export interface JobRunnerOptions {
  events: JobEvents;
  openExternal(url: string): Promise<void>;
  /** Folder for per-job log files (every warning and error). Omit to keep logs in memory only. */
  logDir?: string;
  /** Minimum milliseconds between two progress snapshots of one job. */
  throttleMs?: number;
  /** Where job records go (History); omit to keep none. */
  history?: JobHistory;
  /** Seals what re-running a job needs; without it jobs cannot be re-run from History. */
  secrets?: SecretStore;
  /** The host's own file chooser and replace question (never the window); without it, both refuse. */
  dialogs?: HostDialogs;
  /** The last choices per provider and source → target (defaults offered next time). */
  choices?: LastChoices;
  /** Saved and open connections of these kinds, for an input that offers them (the uri stays here). */
  connectionChoices?(kinds: ConnectionKind[]): Promise<ConnectionChoice[]>;
}

/** A connection an input prompt offers: the window gets all but `uri`. */
export interface ConnectionChoice {
  ref: string;
  label: string;
  detail: string;
  group: 'open' | 'saved';
  uri: string;
}

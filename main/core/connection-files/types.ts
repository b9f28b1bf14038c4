/** What a connection file reader gives back: entries found (or their errors) and file-level problems. */
import type { ConnectionKind } from '../../../providers/api/index';
import { CutoverError } from '../../../providers/api/errors';

export type ConnectionFileFormat = 'cutover' | 'compass' | 'text' | 'env';

export interface FileEntry {
  /** Where in the file: "line 3", "entry 2". */
  where: string;
  name?: string;
  /** The full connection string, secrets included (main side only). */
  uri?: string;
  kind?: ConnectionKind;
  favourite?: boolean;
  /** When it was last connected with (ms since 1970), when the file says (Compass exports do). */
  lastUsed?: number;
  /** Why this entry cannot be used (the entry is then listed but not importable). */
  error?: string;
  /** Worked out once when the entry is read (see describeConnection): shown and compared, never parsed again. */
  host?: string;
  redactedUri?: string;
  identity?: string;
}

/** Connections read from one file at most; a longer file is read up to here, and the preview says so. */
export const MAX_CONNECTION_ENTRIES = 10_000;
export const tooManyEntries = (kept: number) =>
  `it holds more than ${kept.toLocaleString('en-US')} connections: only the first ${kept.toLocaleString('en-US')} are read`;

export interface ParsedConnectionFile {
  format: ConnectionFileFormat;
  entries: FileEntry[];
  /** Problems with the file as a whole. */
  errors: string[];
  /** The file holds passphrase-encrypted secrets and none (or a wrong one) was given. */
  needsPassphrase?: boolean;
}

/** A problem that makes the whole file unreadable. The message names the file. */
export class ConnectionFileError extends CutoverError {
  override name = 'ConnectionFileError';
}

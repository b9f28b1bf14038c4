/**
 * What an import is: the request the files worker receives, its per-file results and outcome, the events
 * it reports and the control it obeys (shared by the engine, the flow and the worker's messages).
 */
import type { WritePolicy } from '../shared/mongo-writer';
import type { CsvType } from './csv-types';
import type { ImportView, ViewResult } from './dump-views';
import type { ErrorLogLimits } from './error-log';
import type { OnError } from './formats';
import { CutoverError } from '../api/index';

export interface ImportSource {
  file: string;
  format: 'json' | 'ndjson' | 'csv' | 'tsv' | 'bson';
  gzip: boolean;
  coll: string;
  jsonArray?: boolean;
  delimiter?: string;
  types?: Record<string, CsvType>;
  /** mongodump: the collection's .metadata.json (options and indexes to restore). */
  metadataFile?: string;
}

export interface ImportRequest {
  uri: string;
  db: string;
  sources: ImportSource[];
  conflict: WritePolicy;
  onError: OnError;
  ignoreEmpty: boolean;
  maxLineBytes: number;
  batchDocs: number;
  /** mongodump folder: its views, created after the collections. */
  views?: ImportView[];
  /** Where bad rows are logged (created on the first one); an interrupted import carries on with its own. */
  errorLog: string;
  /** How much the error log takes before it counts only (default: 100,000 rows or 100 MB). */
  errorLogLimits?: ErrorLogLimits;
  timeoutMs?: number;
}

export interface SourceResult {
  file: string;
  coll: string;
  status: 'pending' | 'running' | 'done' | 'failed' | 'skipped';
  docs: number;
  bad: number;
  skipped: number;
  bytes: number;
  totalBytes: number;
  resumed: boolean;
  indexes: number;
}

export interface ImportOutcome {
  cancelled: boolean;
  resumed: boolean;
  sources: SourceResult[];
  views: ViewResult[];
  errorLog?: string;
  /** Bad rows of the whole import (earlier runs of it included). */
  errorCount: number;
  /** True when the error log reached its cap: later bad rows were counted, not logged. */
  errorLogCapped?: boolean;
  firstErrors: string[];
  /** The target lost documents during the import (its checkpoint vanished, or the count check failed). */
  targetLost?: boolean;
}

export type ImportPhase = 'import' | 'indexes' | 'views';

export interface ImportEvents {
  phase(name: ImportPhase): void;
  source(result: SourceResult): void;
  view?(result: ViewResult): void;
  warn(message: string): void;
}

export interface Control {
  isCancelled(): boolean;
  whenRunnable(): Promise<void>;
}

export class ImportError extends CutoverError {
  override name = 'ImportError';
  constructor(
    message: string,
    readonly outcome: ImportOutcome,
  ) {
    super(message);
  }
}

import type { ExportOutcome, ExportRequest } from './export-engine';
import type { ImportOutcome, ImportRequest, SourceResult } from './import-engine';

/** What the files worker is started with. */
export type FilesJob = { kind: 'import'; request: ImportRequest } | { kind: 'export'; request: ExportRequest };

/** What the files worker sends back. */
export type WorkerMessage =
  | { type: 'phase'; name: 'import' | 'indexes' }
  | { type: 'source'; result: SourceResult }
  | { type: 'exported'; docs: number; totalDocs: number; bytes: number }
  | { type: 'warn'; message: string }
  | { type: 'done'; outcome: ImportOutcome | ExportOutcome }
  | { type: 'failed'; message: string; outcome: ImportOutcome | ExportOutcome };

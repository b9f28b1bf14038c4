import type { ExportOutcome, ExportRequest } from './export-engine';
import type { ViewResult } from './dump-views';
import type { ImportOutcome, ImportPhase, ImportRequest, SourceResult } from './import-engine';

/** What the files worker is started with. */
export type FilesJob = { kind: 'import'; request: ImportRequest } | { kind: 'export'; request: ExportRequest };

/** What the files worker sends back. */
export type WorkerMessage =
  | { type: 'phase'; name: ImportPhase }
  | { type: 'source'; result: SourceResult }
  | { type: 'view'; result: ViewResult }
  | { type: 'exported'; docs: number; totalDocs: number; bytes: number }
  | { type: 'warn'; message: string }
  | { type: 'done'; outcome: ImportOutcome | ExportOutcome }
  | { type: 'failed'; message: string; outcome: ImportOutcome | ExportOutcome };

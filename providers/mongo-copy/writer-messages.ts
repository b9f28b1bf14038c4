import type { WritePolicy } from '../shared/mongo-writer';

/** What the copy worker sends to a writer thread. */
export type WriterCommand =
  | { type: 'write'; id: number; db: string; coll: string; conflict: WritePolicy; duplicatesAreOurs: boolean; maxDocs: number; buffer: ArrayBuffer }
  | { type: 'close' };

/** What a writer thread answers. */
export type WriterReply =
  | { type: 'written'; id: number; skipped: number; batchSize: number }
  | { type: 'failed'; id: number; message: string }
  | { type: 'warn'; message: string };

import type { CopyOutcome, NamespaceResult } from './plan';

/** What the main side sends to the copy worker. */
export type WorkerCommand = { type: 'cancel' } | { type: 'pause' } | { type: 'resume' };

/** What the copy worker sends back to the main side. */
export type WorkerMessage =
  | { type: 'phase'; name: 'create' | 'copy' | 'indexes' | 'verify' }
  | { type: 'namespace'; result: NamespaceResult }
  | { type: 'warn'; message: string }
  | { type: 'done'; outcome: CopyOutcome }
  | { type: 'failed'; message: string; outcome: CopyOutcome };

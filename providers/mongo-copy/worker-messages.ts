import type { CopyOutcome, NamespaceResult } from './plan';

/** What the copy worker sends back to the main side. */
export type WorkerMessage =
  | { type: 'phase'; name: 'create' | 'copy' | 'indexes' | 'verify' }
  | { type: 'namespace'; result: NamespaceResult }
  | { type: 'warn'; message: string }
  | { type: 'done'; outcome: CopyOutcome }
  | { type: 'failed'; message: string; outcome: CopyOutcome };

/**
 * The worker threads every build emits beside its main entry (providers/shared/worker.ts finds them
 * there): the app's (electron.vite.config.ts) and the command line's (main/cli/vite.config.ts).
 * Paths are relative to the repository's root.
 */
export const WORKER_ENTRIES: Record<string, string> = {
  'copy-worker': 'providers/mongo-copy/copy-worker.ts',
  'files-worker': 'providers/files/files-worker.ts',
  'relational-worker': 'providers/relational/relational-worker.ts',
};

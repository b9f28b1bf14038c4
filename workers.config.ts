/**
 * The worker threads every build emits beside its main entry (providers/shared/worker.ts finds them
 * there): the app's (electron.vite.config.ts) and the command line's (main/cli/vite.config.ts).
 * Paths are relative to the repository's root.
 */
export const WORKER_ENTRIES: Record<string, string> = {
  'copy-worker': 'providers/mongo-copy/copy-worker.ts',
  'files-worker': 'providers/files/files-worker.ts',
  'relational-worker': 'providers/relational/relational-worker.ts',
  // The core's own: a large connection file is read off the main thread (main/core/connection-files).
  'connection-files-worker': 'main/core/connection-files/connection-files-worker.ts',
  // Not worker threads: the process an installed provider runs in, and the SDK it is given (main/core/providers).
  'provider-child': 'main/core/providers/child/provider-child.ts',
  'provider-sdk-index': 'providers/api/index.ts',
  'provider-sdk-connection': 'providers/api/connection.ts',
  'provider-sdk-mongodb': 'providers/api/mongodb.ts',
  'provider-sdk-documentdb': 'providers/api/documentdb.ts',
  'provider-sdk-vscode': 'providers/api/vscode.ts',
};

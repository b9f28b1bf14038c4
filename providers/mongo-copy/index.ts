/**
 * The built-in MongoDB copy provider: copy a collection, a database or every database of a server to
 * any MongoDB-compatible target (MongoDB, DocumentDB, Cosmos DB for MongoDB). This module is the
 * provider itself; the person's flow (target, plan, pre-flight report, progress, result) is in ./flow.ts,
 * the plan form in ./forms.ts, the report and result in ./summary.ts, presets in ./presets.ts; the copy
 * runs in a worker thread, or in this thread on the command line (./run-job.ts, ./copy-job.ts).
 *
 * Every choice can be given up front in `context.extendedProperties` (the CLI and History re-runs do):
 * targetUri, targetDb, targetColl, conflict, include, exclude, rename, load, indexes, verify, sampleSize,
 * confirm=yes (skip the pre-flight confirmation), batchDocs, partitionDocs.
 */
import type { MigrationProvider, PickItem } from '../api/index';
import { COPY_COLLECTION, COPY_DATABASE, COPY_SERVER, copyAction } from './flow';

export { COPY_COLLECTION, COPY_DATABASE, COPY_SERVER } from './flow';
export type { CopySettings } from './presets';

export interface MongoCopyOptions {
  /** How long to wait for a server before giving up (ms). */
  connectTimeoutMs?: number;
}

export function createMongoCopyProvider(options: MongoCopyOptions = {}): MigrationProvider {
  const timeout = options.connectTimeoutMs ?? 8_000;
  return {
    id: 'mongodb-copy',
    label: 'MongoDB copy',
    description:
      'Copy collections, databases or a whole server to another MongoDB, DocumentDB or Cosmos DB for MongoDB server: parallel, resumable, verified, type-exact.',
    icon: '⇄',
    learnMoreUrl: 'https://www.mongodb.com/docs/database-tools/',
    appliesTo: ['mongodb'],
    signalsBegin: true,
    async getAvailableActions(context): Promise<PickItem[]> {
      const where = context.collectionName ? `${context.databaseName}.${context.collectionName}` : undefined;
      return [
        {
          id: COPY_COLLECTION,
          label: 'Copy this collection',
          description: where
            ? `Copy ${where} with its options and indexes`
            : 'Copy one collection with its options and indexes',
          disabledReason: context.collectionName ? undefined : 'Select a collection first.',
        },
        {
          id: COPY_DATABASE,
          label: 'Copy this database',
          description: context.databaseName
            ? `Copy the collections and views of ${context.databaseName}`
            : 'Copy the collections and views of a database',
          disabledReason: context.databaseName ? undefined : 'Select a database first.',
        },
        {
          id: COPY_SERVER,
          label: 'Copy all databases',
          description: 'Copy every database of this server (except admin, local and config)',
        },
      ];
    },
    executeAction: (context, actionId, host) => copyAction(context, actionId, host, timeout),
  };
}

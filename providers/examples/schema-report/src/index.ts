/**
 * Schema report: a Cutover provider (built only against the packed @cutover/provider-api) that samples a
 * MongoDB collection and writes a JSON Schema of what it found into the provider's data folder.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  CancelledError,
  type ActionHost,
  type ActionResult,
  type MigrationContext,
  type MigrationProvider,
} from '@cutover/provider-api';
import { openMongoClient } from '@cutover/provider-api/mongodb';
import { addDocument, newStats, toJsonSchema } from './schema.js';

const DEFAULT_SAMPLE = 1000;

async function sample(context: MigrationContext, host: ActionHost): Promise<ActionResult> {
  const connection = context.connection;
  if (!connection) return { outcome: 'failed', summary: 'Open a MongoDB connection first.' };
  const databaseName =
    context.databaseName ?? (await host.ui.input({ title: 'Schema report', prompt: 'Database to sample' }));
  if (!databaseName) return { outcome: 'cancelled', summary: 'No database given.' };
  const collectionName =
    context.collectionName ??
    (await host.ui.input({ title: 'Schema report', prompt: `Collection of ${databaseName} to sample` }));
  if (!collectionName) return { outcome: 'cancelled', summary: 'No collection given.' };
  const size = Number(context.extendedProperties.sampleSize ?? DEFAULT_SAMPLE);
  if (!Number.isInteger(size) || size < 1)
    return {
      outcome: 'failed',
      summary: `sampleSize must be a whole number above 0, not ${context.extendedProperties.sampleSize}.`,
    };
  host.remember({ sampleSize: String(size) });

  host.progress.setPhases(['Sample', 'Write']);
  host.progress.phase('Sample');
  const client = await openMongoClient(connection.uri, {
    signal: host.cancellation.signal,
    appName: 'cutover-schema-report',
  });
  const stats = newStats();
  try {
    const collection = client.db(databaseName).collection(collectionName);
    const total = Math.min(size, await collection.estimatedDocumentCount());
    for await (const doc of collection.find({}, { limit: size })) {
      if (host.cancellation.isCancellationRequested) throw new CancelledError();
      addDocument(stats, doc as Record<string, unknown>);
      host.progress.update({ docs: stats.documents, totalDocs: total });
    }
  } finally {
    await client.close();
  }
  if (stats.documents === 0)
    return {
      outcome: 'succeeded',
      summary: `${databaseName}.${collectionName} is empty: there is nothing to infer a schema from.`,
      attention: 'Empty',
    };

  host.progress.phase('Write');
  const folder = host.dataDir ?? process.cwd();
  const file = path.join(folder, `${databaseName}.${collectionName}.schema.json`.replace(/[^\w.-]+/g, '_'));
  const schema = toJsonSchema(stats, `${databaseName}.${collectionName}`);
  await writeFile(file, `${JSON.stringify(schema, null, 2)}\n`);
  host.log?.info(`Wrote ${file} from ${stats.documents} documents.`);
  return {
    outcome: 'succeeded',
    summary: `Sampled ${stats.documents} documents of ${databaseName}.${collectionName}; the schema is in ${path.basename(file)} (the provider's data folder).`,
    stats: [
      { label: 'Documents sampled', value: String(stats.documents) },
      {
        label: 'Top-level fields',
        value: String(Object.keys((schema.$jsonSchema as { properties: object }).properties).length),
      },
    ],
  };
}

const provider: MigrationProvider = {
  id: 'com.example.schema-report',
  label: 'Schema report',
  description: 'Samples a collection and writes a JSON Schema of its documents',
  appliesTo: ['mongodb'],
  requiresAuthentication: false,
  // An empty list: a direct action.
  async getAvailableActions() {
    return [];
  },
  async executeAction(context, _actionId, host) {
    return sample(context, host);
  },
};

export default provider;

/**
 * The built-in MongoDB copy provider: "Copy this collection" and "Copy this database" to another
 * MongoDB-compatible server (MongoDB, DocumentDB, Cosmos DB for MongoDB). The copy itself runs in a
 * worker thread (see engine.ts); this module owns the person's flow: target, assessment, progress, result.
 */
import { MongoClient } from 'mongodb';
import type { ActionHost, ActionResult, MigrationContext, MigrationProvider, PickItem } from '../api/index';
import { CancelledError } from '../api/index';
import { parseConnectionString } from '../../main/core/connection-string';
import { describeMongoError } from '../../main/core/mongo-errors';
import { estimate, listSourceNamespaces, type NamespaceEstimate } from './assess';
import { CopyError, nsKey, type ConflictPolicy, type CopyOutcome, type NamespaceResult } from './engine';
import { runCopyInWorker } from './run-in-worker';

export const COPY_COLLECTION = 'copy-collection';
export const COPY_DATABASE = 'copy-database';

const CONFLICT_OPTIONS: Array<{ value: ConflictPolicy; label: string }> = [
  { value: 'abort', label: 'Stop if the target already has documents' },
  { value: 'drop', label: 'Drop the target collection first' },
  { value: 'skip', label: 'Keep documents whose _id is already in the target' },
  { value: 'overwrite', label: 'Overwrite documents with the same _id' },
];

export interface MongoCopyOptions {
  /** How long to wait for the target server when checking it (ms). */
  connectTimeoutMs?: number;
}

export function createMongoCopyProvider(options: MongoCopyOptions = {}): MigrationProvider {
  const timeout = options.connectTimeoutMs ?? 8_000;
  return {
    id: 'mongodb-copy',
    label: 'MongoDB copy',
    description: 'Copy collections or whole databases to another MongoDB, DocumentDB or Cosmos DB for MongoDB server, type-exact.',
    icon: '⇄',
    learnMoreUrl: 'https://www.mongodb.com/docs/database-tools/',
    appliesTo: ['mongodb'],
    unavailableReason: (context) => (context.databaseName ? undefined : 'Select a database or a collection first.'),
    async getAvailableActions(context): Promise<PickItem[]> {
      const where = context.collectionName ? `${context.databaseName}.${context.collectionName}` : undefined;
      return [
        {
          id: COPY_COLLECTION,
          label: 'Copy this collection',
          description: where ? `Copy ${where} with its options and indexes` : 'Copy one collection with its options and indexes',
          disabledReason: context.collectionName ? undefined : 'Select a collection first.',
        },
        {
          id: COPY_DATABASE,
          label: 'Copy this database',
          description: context.databaseName ? `Copy every collection and view of ${context.databaseName}` : 'Copy every collection and view of a database',
          disabledReason: context.databaseName ? undefined : 'Select a database first.',
        },
      ];
    },
    executeAction: (context, actionId, host) => copyAction(context, actionId, host, timeout),
  };
}

async function copyAction(context: MigrationContext, actionId: string | undefined, host: ActionHost, timeout: number): Promise<ActionResult> {
  const { ui, progress, cancellation } = host;
  const source = context.connection;
  const sourceDb = context.databaseName;
  if (!source || source.kind !== 'mongodb' || !sourceDb) throw new Error('Select a database or a collection of a MongoDB connection first.');
  if (actionId !== COPY_COLLECTION && actionId !== COPY_DATABASE) throw new Error(`Unknown action ${actionId ?? '(none)'}.`);
  const sourceColl = actionId === COPY_COLLECTION ? context.collectionName : undefined;
  if (actionId === COPY_COLLECTION && !sourceColl) throw new Error('Select a collection first.');

  progress.setPhases(['Choose target', 'Assess', 'Copy']);
  progress.phase('Choose target');
  const targetUri = await ui.input({
    title: 'Copy to which server?',
    prompt: 'Connection string of the target MongoDB-compatible server',
    placeholder: 'mongodb://user:password@host:27017/',
    validate: (value) => checkTarget(value, timeout),
  });
  if (targetUri === undefined) throw new CancelledError('Cancelled before anything was copied.');
  const target = parseConnectionString(targetUri);

  const answers = await ui.form({
    title: 'Where in the target?',
    description: `Target: ${target.redactedUri}`,
    submitLabel: 'Start copy',
    fields: [
      { type: 'text', id: 'targetDb', label: 'Target database', value: target.defaultDatabase ?? sourceDb, required: true },
      ...(sourceColl ? [{ type: 'text' as const, id: 'targetColl', label: 'Target collection', value: sourceColl, required: true }] : []),
      { type: 'select', id: 'conflict', label: 'If the target already has data', value: 'abort', options: CONFLICT_OPTIONS },
    ],
    validate: (values) => {
      const db = String(values.targetDb ?? '').trim();
      if (!db || /[/\\. "$]/.test(db)) return 'Enter a target database name without spaces, dots, slashes or $.';
      if (sourceColl && !String(values.targetColl ?? '').trim()) return 'Enter a target collection name.';
      const sameServer = target.host === parseConnectionString(source.uri).host;
      if (sameServer && db === sourceDb && (!sourceColl || String(values.targetColl).trim() === sourceColl)) return 'The target is the source itself: choose another database or collection.';
      return undefined;
    },
  });
  if (!answers) throw new CancelledError('Cancelled before anything was copied.');
  const targetDb = String(answers.targetDb).trim();
  const conflict = String(answers.conflict) as ConflictPolicy;

  progress.phase('Assess');
  const plan = await assess(source.uri, parseConnectionString(source.uri).host, sourceDb, sourceColl, targetDb, sourceColl ? String(answers.targetColl).trim() : undefined, timeout);
  const totalDocs = plan.reduce((sum, ns) => sum + ns.docs, 0);
  const totalBytes = plan.reduce((sum, ns) => sum + ns.bytes, 0);
  progress.update({ docs: 0, bytes: 0, totalDocs, totalBytes: totalBytes || undefined });
  for (const ns of plan) progress.item({ id: nsKey(ns.targetDb, ns.targetColl), label: label(ns), status: 'pending', docs: 0, totalDocs: ns.docs, bytes: 0, totalBytes: ns.bytes || undefined });
  if (cancellation.isCancellationRequested) throw new CancelledError('Cancelled before anything was copied.');

  progress.phase('Copy');
  const rows = new Map<string, NamespaceResult>();
  const report = (result: NamespaceResult) => {
    rows.set(result.key, result);
    const ns = plan.find((p) => nsKey(p.targetDb, p.targetColl) === result.key);
    progress.item({ id: result.key, label: ns ? label(ns) : result.key, status: result.status, docs: result.docs, bytes: result.bytes, detail: result.skipped ? `${result.skipped.toLocaleString('en-US')} kept as they were` : undefined });
    const docs = [...rows.values()].reduce((sum, r) => sum + r.docs + r.skipped, 0);
    const bytes = [...rows.values()].reduce((sum, r) => sum + r.bytes, 0);
    progress.update({ docs, bytes });
  };
  let outcome: CopyOutcome;
  try {
    outcome = await runCopyInWorker(
      { sourceUri: source.uri, targetUri, namespaces: plan, conflict, timeoutMs: timeout * 2 },
      { namespace: report, warn: (message) => progress.warn(message) },
      cancellation.signal,
    );
  } catch (error) {
    if (error instanceof CopyError) throw new Error(`${error.message} ${copiedSoFar(error.outcome)}`.trim());
    throw error;
  }
  const copied = outcome.namespaces.reduce((sum, r) => sum + r.docs, 0);
  const skipped = outcome.namespaces.reduce((sum, r) => sum + r.skipped, 0);
  const bytes = outcome.namespaces.reduce((sum, r) => sum + r.bytes, 0);
  const stats = [
    { label: 'Documents copied', value: copied.toLocaleString('en-US') },
    ...(skipped ? [{ label: 'Already in target (kept)', value: skipped.toLocaleString('en-US') }] : []),
    { label: 'Data copied', value: formatBytes(bytes) },
    { label: 'Namespaces', value: `${outcome.namespaces.filter((r) => r.status === 'done').length} of ${plan.length}` },
    { label: 'Target', value: `${target.redactedUri} → ${targetDb}` },
  ];
  if (outcome.cancelled) {
    return { outcome: 'cancelled', summary: `Cancelled. ${copied.toLocaleString('en-US')} of ${totalDocs.toLocaleString('en-US')} documents were copied; the target is incomplete.`, stats };
  }
  const what = sourceColl ? `${sourceDb}.${sourceColl}` : `database ${sourceDb}`;
  return { outcome: 'succeeded', summary: `Copied ${copied.toLocaleString('en-US')} documents of ${what} to ${target.host}.`, stats };
}

async function checkTarget(value: string, timeout: number): Promise<string | undefined> {
  let parsed;
  try {
    parsed = parseConnectionString(value);
  } catch (error) {
    return (error as Error).message;
  }
  if (parsed.kind !== 'mongodb') return 'The target must be a MongoDB-compatible server (mongodb:// or mongodb+srv://).';
  const client = new MongoClient(parsed.uri, { serverSelectionTimeoutMS: timeout, connectTimeoutMS: timeout, appName: 'Cutover' });
  try {
    await client.db('admin').command({ ping: 1 });
    return undefined;
  } catch (error) {
    return describeMongoError(error, parsed.host);
  } finally {
    await client.close().catch(() => undefined);
  }
}

async function assess(
  sourceUri: string,
  where: string,
  sourceDb: string,
  sourceColl: string | undefined,
  targetDb: string,
  targetColl: string | undefined,
  timeout: number,
): Promise<NamespaceEstimate[]> {
  const client = new MongoClient(sourceUri, { serverSelectionTimeoutMS: timeout, appName: 'Cutover' });
  try {
    const all = await listSourceNamespaces(client, sourceDb);
    const chosen = sourceColl ? all.filter((ns) => ns.name === sourceColl) : all;
    if (sourceColl && chosen.length === 0) throw new Error(`Source collection ${sourceDb}.${sourceColl} does not exist.`);
    if (chosen.length === 0) throw new Error(`Database ${sourceDb} has no collections to copy.`);
    return await Promise.all(
      chosen.map((ns) => estimate(client, { sourceDb, sourceColl: ns.name, targetDb, targetColl: targetColl ?? ns.name }, ns.kind)),
    );
  } catch (error) {
    throw new Error(describeMongoError(error, where));
  } finally {
    await client.close().catch(() => undefined);
  }
}

function label(ns: NamespaceEstimate): string {
  const from = `${ns.sourceDb}.${ns.sourceColl}`;
  const to = `${ns.targetDb}.${ns.targetColl}`;
  return `${from === to ? from : `${from} → ${to}`}${ns.kind === 'view' ? ' (view)' : ''}`;
}

function copiedSoFar(outcome: CopyOutcome): string {
  const copied = outcome.namespaces.reduce((sum, r) => sum + r.docs, 0);
  return copied > 0 ? `${copied.toLocaleString('en-US')} documents had been copied before it stopped; the target is incomplete.` : 'Nothing was copied.';
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}

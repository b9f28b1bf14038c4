/**
 * The built-in relational provider: PostgreSQL or MySQL/MariaDB tables into well-shaped MongoDB documents.
 * This module owns the person's flow (target, mapping choices, pre-flight report, progress, result); the
 * job runs in a worker thread (engine.ts).
 *
 * Every choice can be given up front in `context.extendedProperties` (the CLI and History re-runs do):
 * targetUri, targetDb, mapping (a mapping document, JSON), schemas (PostgreSQL, comma-separated), snapshot
 * (parallel | single), conflict (abort | drop | overwrite), verify (sample | none), sampleSize,
 * confirm=yes (skip the pre-flight confirmation), batchDocs, fetchRows (read by job-settings.ts; the result
 * is made by result-summary.ts).
 */
import { MongoClient } from 'mongodb';
import type { ActionHost, ActionResult, MigrationContext, MigrationProvider } from '../api/index';
import { CancelledError, problemOf } from '../api/index';
import { connectPromptly, openPingedClient } from '../shared/mongo-connect';
import { RelationalCheckpoints } from './checkpoints';
import { RelationalError, type RelationalRequest } from './engine';
import { hostOf, jobKey, redact, rememberable, settingsFrom, type RelationalSettings } from './job-settings';
import { defaultMapping, parseMapping, resolveMapping, type CollectionPlan, type MappingDocument } from './mapping';
import { checkEditedMapping, mappingSource, previewMapping } from './mapping-editor';
import { optionsForm, withOptions } from './options-form';
import { buildPreflight } from './preflight';
import { summarise } from './result-summary';
import { startRelationalJob } from './run-job';
import type { Dialect } from './schema';
import { openSource, type SqlSource } from './source';
import { previewDocuments, previewLine } from './preview';
import { plural } from '../shared/format';

export type { RelationalSettings } from './job-settings';
export { settingsFrom } from './job-settings';
export { summarise } from './result-summary';

export const RELATIONAL_PROVIDER_ID = 'relational';
const PHASES = { target: 'Choose target', map: 'Map', prepare: 'Prepare', copy: 'Copy', verify: 'Verify' } as const;

export function createRelationalProvider(options: { connectTimeoutMs?: number } = {}): MigrationProvider {
  const timeout = options.connectTimeoutMs ?? 8_000;
  return {
    id: RELATIONAL_PROVIDER_ID,
    label: 'Relational to MongoDB',
    description:
      'PostgreSQL or MySQL/MariaDB tables into MongoDB documents: a collection per table, embedded arrays and sub-documents where you choose, from one consistent snapshot; resumable and verified.',
    icon: '⊞',
    appliesTo: ['postgres', 'mysql'],
    signalsBegin: true,
    async getAvailableActions() {
      return [];
    },
    // A mapping given where the job starts (the command line's --mapping) is checked before anything runs.
    checkPresets: (_actionId, presets) =>
      presets.mapping ? problemOf(() => parseMapping(presets.mapping, presets.mappingSource)) : undefined,
    executeAction: (context, _actionId, host) => relationalAction(context, host, timeout),
  };
}

async function relationalAction(context: MigrationContext, host: ActionHost, timeout: number): Promise<ActionResult> {
  const { ui, progress, cancellation } = host;
  const source = context.connection;
  if (!source || (source.kind !== 'postgres' && source.kind !== 'mysql'))
    throw new Error('Connect to a PostgreSQL or MySQL/MariaDB database first.');
  const dialect: Dialect = source.kind;
  const presets = context.extendedProperties;
  const stopped = () => new CancelledError('Cancelled before anything was written.');
  if (presets.printMapping === 'yes')
    return printDefaultMapping(dialect, source.uri, source.redactedUri, presets.schemas);
  progress.setPhases(Object.values(PHASES));
  progress.phase(PHASES.target);
  const targetUri =
    presets.targetUri ??
    (await ui.input({
      title: 'Migrate to which MongoDB server?',
      prompt: 'Connection string of the target MongoDB-compatible server',
      placeholder: 'mongodb://user:password@host:27017/',
      connections: ['mongodb'],
      validate: (value) => checkTarget(value, timeout),
    }));
  if (targetUri === undefined) throw stopped();
  if (!/^mongodb(\+srv)?:\/\//i.test(targetUri))
    throw new Error('The target must be a MongoDB-compatible server (mongodb:// or mongodb+srv://).');

  progress.phase(PHASES.map);
  let settings = settingsFrom(presets, targetUri, dialect, source.uri);
  const sql = openSource(dialect, source.uri, settings.schemas);
  const schema = await sql.introspect();
  if (schema.tables.length === 0)
    throw new Error(
      `${source.redactedUri} has no tables${settings.schemas ? ` in ${settings.schemas.join(', ')}` : ''}.`,
    );
  const stats = await sql.tableStats(schema);
  const target = new MongoClient(targetUri, { serverSelectionTimeoutMS: timeout, appName: 'Cutover' });
  try {
    let mapping = settings.mapping ?? defaultMapping(schema);
    // Without a mapping the person is asked; a headless run (confirm=yes) takes the default mapping.
    for (let ask = presets.mapping === undefined && presets.confirm !== 'yes'; ; ask = true) {
      if (ask) {
        if (!ui.mapping)
          throw new Error(
            "This host has no mapping screen: give the mapping document as a preset (the command line's --mapping m.json, or --print-mapping for the default).",
          );
        // The mapping screen: the window edits the mapping over the introspected tables and asks for live previews.
        const edited = await ui.mapping({
          title: 'Map the tables to collections',
          description: `Target: ${redact(targetUri)}. Every table becomes a collection with _id from its primary key; choose per foreign key whether to embed, and per column what it becomes.`,
          source: mappingSource(schema, stats),
          mapping: JSON.stringify(mapping),
          submitLabel: 'Next',
          preview: (text, collection) => previewMapping(sql, schema, text, collection),
          validate: (text) => checkEditedMapping(schema, text),
        });
        if (edited === undefined) throw stopped();
        mapping = parseMapping(edited);
        const answers = await ui.form(optionsForm(schema, settings, redact(targetUri)));
        if (!answers) throw stopped();
        settings = withOptions(answers, settings);
      }
      const resolved = resolveMapping(schema, mapping);
      await connectPromptly(target);
      const db = target.db(settings.targetDb);
      const existing = new Set((await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name));
      const targetDocs = new Map<string, number>();
      for (const c of resolved.collections)
        if (existing.has(c.name)) targetDocs.set(c.name, await db.collection(c.name).estimatedDocumentCount());
      const key = jobKey(source.uri, settings, mapping);
      const resuming = await new RelationalCheckpoints(target, key).unfinished();
      const preflight = buildPreflight({
        schema,
        resolved,
        stats,
        snapshot: settings.snapshot,
        targetLabel: `${hostOf(targetUri)}/${settings.targetDb}`,
        targetDocs,
        resuming,
      });
      if (resolved.errors.length === 0 && presets.confirm !== 'yes')
        preflight.report.notes.push(...(await previewNotes(sql, dialect, resolved.collections)));
      progress.update({ docs: 0, totalDocs: preflight.totalRows });
      if (presets.confirm === 'yes' && !preflight.blocked) break;
      const choice = await ui.report(preflight.report);
      if (choice === 'start') break;
      if (choice !== 'change') throw stopped();
    }
    settings.mapping = mapping;
    host.remember(rememberable(settings));
    host.begin();
    if (cancellation.isCancellationRequested) throw stopped();
    return await run(host, dialect, source.uri, settings, mapping);
  } finally {
    await target.close().catch(() => undefined);
    await sql.close().catch(() => undefined);
  }
}

/** `printMapping=yes` (`cutover relational --print-mapping`): reads the tables, writes nothing, returns the default mapping. */
async function printDefaultMapping(
  dialect: Dialect,
  uri: string,
  redactedUri: string,
  schemas: string | undefined,
): Promise<ActionResult> {
  const sql = openSource(
    dialect,
    uri,
    schemas
      ? schemas
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : undefined,
  );
  try {
    const mapping = defaultMapping(await sql.introspect());
    return {
      outcome: 'succeeded',
      summary: `The default mapping of ${redactedUri}.`,
      details: [{ title: 'Default mapping', items: [JSON.stringify(mapping, null, 2)] }],
    };
  } finally {
    await sql.close().catch(() => undefined);
  }
}

async function run(
  host: ActionHost,
  dialect: Dialect,
  sourceUri: string,
  settings: RelationalSettings,
  mapping: MappingDocument,
): Promise<ActionResult> {
  const { progress, cancellation, pause } = host;
  const request: RelationalRequest = {
    jobKey: jobKey(sourceUri, settings, mapping),
    dialect,
    sourceUri,
    schemas: settings.schemas,
    targetUri: settings.targetUri,
    targetDb: settings.targetDb,
    mapping,
    snapshot: settings.snapshot,
    conflict: settings.conflict,
    verify: settings.verify,
    sampleSize: settings.sampleSize,
    batchDocs: settings.batchDocs,
    fetchRows: settings.fetchRows,
  };
  const totals = new Map<string, { docs: number; bytes: number }>();
  const handle = startRelationalJob(
    request,
    {
      phase: (name) =>
        progress.phase(name === 'prepare' ? PHASES.prepare : name === 'copy' ? PHASES.copy : PHASES.verify),
      collection: (r) => {
        progress.item({
          id: r.key,
          label: `${r.table} → ${r.key}`,
          status: r.status,
          docs: r.docs,
          totalDocs: r.totalDocs,
          bytes: r.bytes,
          detail: r.rows ? `${plural(r.rows, 'row')} read` : undefined,
        });
        totals.set(r.key, { docs: r.docs, bytes: r.bytes });
        let docs = 0;
        let bytes = 0;
        for (const t of totals.values()) {
          docs += t.docs;
          bytes += t.bytes;
        }
        progress.update({ docs, bytes });
      },
      warn: (message) => progress.warn(message),
    },
    cancellation.signal,
  );
  const unsubscribe = pause.onPauseChanged((paused) => (paused ? handle.pause() : handle.resume()));
  try {
    return summarise(await handle.done, settings);
  } catch (error) {
    if (error instanceof RelationalError) {
      const written = error.outcome.collections.reduce((sum, c) => sum + c.docs, 0);
      throw new Error(
        `${error.message}${written ? ` ${plural(written, 'document')} had been written; run the job again to resume it.` : ' Nothing was written.'}`,
      );
    }
    throw error;
  } finally {
    unsubscribe();
  }
}

/** Three real documents of the first collection that embeds something (else the first), as report notes. */
async function previewNotes(
  sql: SqlSource,
  dialect: Dialect,
  collections: CollectionPlan[],
): Promise<Array<{ level: 'info' | 'warning'; text: string }>> {
  const plan = collections.find((c) => c.root.embeds.length > 0) ?? collections[0];
  if (!plan) return [];
  try {
    const docs = await previewDocuments(sql, dialect, plan);
    if (docs.length === 0)
      return [{ level: 'info', text: `Preview of ${plan.name}: the table ${plan.root.table.id} is empty.` }];
    return docs.map((doc, i) => ({
      level: 'info' as const,
      text: `Preview of ${plan.name} (${i + 1} of ${docs.length}): ${previewLine(doc)}`,
    }));
  } catch (error) {
    return [{ level: 'warning', text: `Preview of ${plan.name}: ${(error as Error).message}` }];
  }
}

async function checkTarget(value: string, timeout: number): Promise<string | undefined> {
  if (!/^mongodb(\+srv)?:\/\//i.test(value.trim()))
    return 'The target must be a MongoDB-compatible server (mongodb:// or mongodb+srv://).';
  try {
    const client = await openPingedClient(value.trim(), { timeoutMs: timeout });
    await client.close().catch(() => undefined);
    return undefined;
  } catch (error) {
    return `The target does not answer: ${(error as Error).message}`;
  }
}

/**
 * The built-in MongoDB copy provider: copy a collection, a database or every database of a server to
 * any MongoDB-compatible target (MongoDB, DocumentDB, Cosmos DB for MongoDB). This module owns the
 * person's flow (target, plan, pre-flight report, progress, result); the copy runs in a worker thread.
 *
 * Every choice can be given up front in `context.extendedProperties` (the CLI and History re-runs do):
 * targetUri, targetDb, targetColl, conflict, include, exclude, rename, load, indexes, verify, sampleSize,
 * confirm=yes (skip the pre-flight confirmation), batchDocs, partitionDocs.
 */
import { createHash } from 'node:crypto';
import { MongoClient } from 'mongodb';
import type { ActionHost, ActionResult, FormValues, MigrationContext, MigrationProvider, PickItem } from '../api/index';
import { CancelledError } from '../api/index';
import { parseConnectionString } from '../api/connection';
import { describeMongoError } from '../api/mongo-errors';
import { assess, selectNamespaces, type Assessment } from './assess';
import { CheckpointStore } from './checkpoints';
import { CopyError } from './engine';
import { compileNamespaceRules } from './namespaces';
import { CONFLICT_POLICIES, LOAD_LEVELS, VERIFY_MODES, nsKey, type ConflictPolicy, type CopyOutcome, type CopyRequest, type IndexTiming, type LoadLevel, type NamespaceResult, type NamespaceSpec, type NamespaceVerification, type VerifyMode } from './plan';
import { startCopyInWorker } from './run-in-worker';
import { formatBytes, formatDuration, formatCount, plural } from './format';
import { connectPromptly } from '../shared/mongo-connect';
import { presetChoice, presetPositiveInt } from '../shared/presets';

export const COPY_COLLECTION = 'copy-collection';
export const COPY_DATABASE = 'copy-database';
export const COPY_SERVER = 'copy-server';

const CONFLICT_LABELS: Record<ConflictPolicy, string> = {
  abort: 'Stop if the target already has documents',
  drop: 'Drop the target collection first',
  skip: 'Keep documents whose _id is already in the target',
  overwrite: 'Overwrite documents with the same _id',
};
const PHASE_LABELS = { assess: 'Assess', create: 'Create', copy: 'Copy', indexes: 'Indexes', verify: 'Verify' } as const;

export interface MongoCopyOptions {
  /** How long to wait for a server before giving up (ms). */
  connectTimeoutMs?: number;
}

/** Everything the person decides about a copy. */
export interface CopySettings {
  targetUri: string;
  targetDb?: string;
  targetColl?: string;
  conflict: ConflictPolicy;
  include: string[];
  exclude: string[];
  renames: string[];
  load: LoadLevel;
  indexes: IndexTiming;
  verify: VerifyMode;
  sampleSize: number;
  batchDocs?: number;
  partitionDocs?: number;
}

export function createMongoCopyProvider(options: MongoCopyOptions = {}): MigrationProvider {
  const timeout = options.connectTimeoutMs ?? 8_000;
  return {
    id: 'mongodb-copy',
    label: 'MongoDB copy',
    description: 'Copy collections, databases or a whole server to another MongoDB, DocumentDB or Cosmos DB for MongoDB server: parallel, resumable, verified, type-exact.',
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
          description: where ? `Copy ${where} with its options and indexes` : 'Copy one collection with its options and indexes',
          disabledReason: context.collectionName ? undefined : 'Select a collection first.',
        },
        {
          id: COPY_DATABASE,
          label: 'Copy this database',
          description: context.databaseName ? `Copy the collections and views of ${context.databaseName}` : 'Copy the collections and views of a database',
          disabledReason: context.databaseName ? undefined : 'Select a database first.',
        },
        { id: COPY_SERVER, label: 'Copy all databases', description: 'Copy every database of this server (except admin, local and config)' },
      ];
    },
    executeAction: (context, actionId, host) => copyAction(context, actionId, host, timeout),
  };
}

async function copyAction(context: MigrationContext, actionId: string | undefined, host: ActionHost, timeout: number): Promise<ActionResult> {
  const { ui, progress, cancellation } = host;
  const source = context.connection;
  if (!source || source.kind !== 'mongodb') throw new Error('Connect to a MongoDB-family server first.');
  if (actionId !== COPY_COLLECTION && actionId !== COPY_DATABASE && actionId !== COPY_SERVER) throw new Error(`Unknown action ${actionId ?? '(none)'}.`);
  const scope = {
    db: actionId === COPY_SERVER ? undefined : context.databaseName,
    coll: actionId === COPY_COLLECTION ? context.collectionName : undefined,
  };
  if (actionId !== COPY_SERVER && !scope.db) throw new Error('Select a database first.');
  if (actionId === COPY_COLLECTION && !scope.coll) throw new Error('Select a collection first.');
  const presets = context.extendedProperties;
  const stopped = () => new CancelledError('Cancelled before anything was copied.');

  progress.setPhases(['Choose target', ...Object.values(PHASE_LABELS)]);
  progress.phase('Choose target');
  const targetUri =
    presets.targetUri ??
    (await ui.input({ title: 'Copy to which server?', prompt: 'Connection string of the target MongoDB-compatible server', placeholder: 'mongodb://user:password@host:27017/', connections: ['mongodb'], validate: (value) => checkTarget(value, timeout) }));
  if (targetUri === undefined) throw stopped();
  const target = parseConnectionString(targetUri);
  if (target.kind !== 'mongodb') throw new Error('The target must be a MongoDB-compatible server (mongodb:// or mongodb+srv://).');
  const sourceHost = parseConnectionString(source.uri).host;

  // The load level, policies and verification chosen last time between these two servers are the defaults.
  const choicesKey = `${sourceHost} → ${target.host}`;
  const last = presets.targetUri === undefined ? await host.lastChoices(choicesKey) : undefined;
  let settings = settingsFrom({ ...last, ...presets }, targetUri, scope, target.defaultDatabase);
  const sourceClient = new MongoClient(source.uri, { serverSelectionTimeoutMS: timeout, appName: 'Cutover' });
  const targetClient = new MongoClient(targetUri, { serverSelectionTimeoutMS: timeout, appName: 'Cutover' });
  try {
    let plan: Assessment | undefined;
    for (let askPlan = presets.targetUri === undefined; ; askPlan = true) {
      if (askPlan) {
        const answers = await ui.form(planForm(settings, scope, target.redactedUri, sourceHost === target.host));
        if (!answers) throw stopped();
        settings = settingsFromForm(answers, scope, settings);
      }
      progress.phase(PHASE_LABELS.assess);
      plan = await assessPlan(sourceClient, targetClient, settings, scope, target.host, sourceHost);
      progress.update({ docs: 0, bytes: 0, totalDocs: plan.totalDocs, totalBytes: plan.totalBytes || undefined });
      if (presets.confirm === 'yes' && !plan.notes.some((n) => n.level === 'error')) break;
      const choice = await ui.report(preflightReport(plan, settings, target.redactedUri));
      if (choice === 'start') break;
      if (choice !== 'change') throw stopped();
    }
    host.remember(rememberable(settings));
    host.keepChoices(choicesKey, { conflict: settings.conflict, load: settings.load, indexes: settings.indexes, verify: settings.verify });
    host.begin();
    const first = plan.namespaces[0];
    host.route({ to: `${target.host} · ${scope.coll && first ? `${first.targetDb}.${first.targetColl}` : scope.db && first ? first.targetDb : 'all databases'}` });
    if (cancellation.isCancellationRequested) throw stopped();
    return await runPlannedCopy(host, plan, settings, source.uri, sourceHost, target.host, scope);
  } catch (error) {
    if (!(error instanceof Error) || !error.name.startsWith('Mongo')) throw error;
    throw new Error(describeMongoError(error, `${sourceHost} → ${target.host}`));
  } finally {
    await Promise.all([sourceClient.close().catch(() => undefined), targetClient.close().catch(() => undefined)]);
  }
}

async function assessPlan(source: MongoClient, target: MongoClient, settings: CopySettings, scope: { db?: string; coll?: string }, targetHost: string, sourceHost: string): Promise<Assessment> {
  const renames = [...settings.renames];
  if (scope.coll && scope.db) renames.unshift(`${scope.db}.${scope.coll}->${settings.targetDb ?? scope.db}.${settings.targetColl ?? scope.coll}`);
  else if (scope.db && settings.targetDb && settings.targetDb !== scope.db) renames.push(`${scope.db}.*->${settings.targetDb}.*`);
  const mapper = compileNamespaceRules({ include: settings.include, exclude: settings.exclude, renames });
  const namespaces = await selectNamespaces(source, scope, mapper);
  if (namespaces.length === 0) throw new Error('Nothing to copy: no collection matches the filters.');
  const previous = await new CheckpointStore(target, jobKey(sourceHost, targetHost, namespaces, settings)).load();
  const plan = await assess(source, target, namespaces, settings.conflict, targetHost, !!previous && previous.state !== 'done');
  if (sourceHost === targetHost) {
    for (const ns of namespaces) {
      if (ns.sourceDb === ns.targetDb && ns.sourceColl === ns.targetColl) plan.notes.unshift({ level: 'error', text: `${nsKey(ns.sourceDb, ns.sourceColl)} would be copied onto itself: choose another target database or collection.` });
    }
  }
  return plan;
}

async function runPlannedCopy(
  host: ActionHost,
  plan: Assessment,
  settings: CopySettings,
  sourceUri: string,
  sourceHost: string,
  targetHost: string,
  scope: { db?: string; coll?: string },
): Promise<ActionResult> {
  const { progress, cancellation, pause } = host;
  const labels = new Map(plan.namespaces.map((ns) => [nsKey(ns.targetDb, ns.targetColl), nsLabel(ns)]));
  for (const ns of plan.namespaces) {
    progress.item({ id: nsKey(ns.targetDb, ns.targetColl), label: nsLabel(ns), status: 'pending', docs: 0, totalDocs: ns.docs, bytes: 0, totalBytes: ns.bytes || undefined });
  }
  const rows = new Map<string, NamespaceResult>();
  const report = (result: NamespaceResult) => {
    rows.set(result.key, result);
    progress.item({
      id: result.key,
      label: labels.get(result.key) ?? result.key,
      status: result.status,
      docs: result.docs + result.skipped,
      bytes: result.bytes,
      detail: [result.partitions > 1 ? `${result.partitions} partitions` : '', result.skipped ? `${formatCount(result.skipped)} kept as they were` : ''].filter(Boolean).join(' · ') || undefined,
    });
    let docs = 0;
    let bytes = 0;
    for (const r of rows.values()) {
      docs += r.docs + r.skipped;
      bytes += r.bytes;
    }
    progress.update({ docs, bytes });
  };
  const request: CopyRequest = {
    jobKey: jobKey(sourceHost, targetHost, plan.namespaces, settings),
    sourceUri,
    targetUri: settings.targetUri,
    namespaces: plan.namespaces.map(({ sourceDb, sourceColl, targetDb, targetColl, kind }) => ({ sourceDb, sourceColl, targetDb, targetColl, kind })),
    conflict: settings.conflict,
    load: settings.load,
    indexes: settings.indexes,
    verify: settings.verify,
    sampleSize: settings.sampleSize,
    batchDocs: settings.batchDocs,
    partitionDocs: settings.partitionDocs,
  };
  const handle = startCopyInWorker(request, { phase: (name) => progress.phase(PHASE_LABELS[name]), namespace: report, warn: (message) => warnOrStall(progress, message) }, cancellation.signal);
  const unsubscribe = pause.onPauseChanged((paused) => (paused ? handle.pause() : handle.resume()));
  // Rows that did not finish get a final status, so nothing is left looking "running".
  const settleRows = (status: 'skipped' | 'failed') => {
    for (const [key, row] of rows) if (row.status === 'running' || row.status === 'pending') report({ ...row, key, status: row.status === 'running' ? status : 'skipped' });
    for (const ns of plan.namespaces) {
      const key = nsKey(ns.targetDb, ns.targetColl);
      if (!rows.has(key)) progress.item({ id: key, label: nsLabel(ns), status: 'skipped', docs: 0, bytes: 0 });
    }
  };
  let outcome: CopyOutcome;
  try {
    outcome = await handle.done;
  } catch (error) {
    settleRows('failed');
    if (error instanceof CopyError) throw new Error(`${sentence(error.message)} ${error.outcome.targetLost ? lostTarget(settings.conflict) : copiedSoFar(error.outcome)}`.trim());
    throw error;
  } finally {
    unsubscribe();
  }
  if (outcome.cancelled) settleRows('skipped');
  return summarise(outcome, plan, settings, scope, targetHost);
}

/** A write retry (mongo-writer's "retrying (attempt 3 of 8)") also shows as the job's state: rate 0, no ETA. */
function warnOrStall(progress: ActionHost['progress'], message: string): void {
  progress.warn(message);
  const retry = /(the target is throttling|transient error)[^(]*\(.*\); retrying \(attempt (\d+) of (\d+)\)/is.exec(message);
  if (retry) progress.stalled(`${/throttling/.test(retry[1]) ? 'Target is throttling' : 'Target unreachable'} — retrying (${retry[2]} of ${retry[3]})`);
}

function summarise(outcome: CopyOutcome, plan: Assessment, settings: CopySettings, scope: { db?: string; coll?: string }, targetHost: string): ActionResult {
  const copied = outcome.namespaces.reduce((sum, r) => sum + r.docs, 0);
  const skipped = outcome.namespaces.reduce((sum, r) => sum + r.skipped, 0);
  const bytes = outcome.namespaces.reduce((sum, r) => sum + r.bytes, 0);
  const details: NonNullable<ActionResult['details']> = [];
  const problems: string[] = [];
  const checks: Array<{ label: string; value: string }> = [];

  // The count check runs after every copy, whatever the verification.
  const counts = outcome.counts ?? [];
  const countsWrong = counts.filter((c) => !c.ok);
  if (counts.length) checks.push({ label: 'Count check', value: countsWrong.length ? `failed for ${countsWrong.length} of ${counts.length} collections` : `passed: ${counts.length} ${counts.length === 1 ? 'collection holds' : 'collections hold'} what was written` });
  if (countsWrong.length) {
    problems.push(firstFew(countsWrong.map((c) => c.sentence), (more) => `The count check failed for ${more} more collections too.`).join(' '));
    details.push({ title: 'Count check failed', items: countsWrong.map((c) => c.sentence) });
  }

  if (outcome.verification) {
    const sampled = settings.verify === 'sample';
    const checked = outcome.verification.reduce((sum, v) => sum + v.checked, 0);
    const missing = outcome.verification.reduce((sum, v) => sum + v.missing, 0);
    // Documents kept by "skip" are expected to differ from the source: reported, not a failure. A missing one is.
    const mismatched = outcome.verification.reduce((sum, v) => sum + v.mismatched, 0);
    const mismatchFails = settings.conflict !== 'skip' && mismatched > 0;
    const countDiffs = outcome.verification.filter((v) => v.sourceCount !== v.targetCount && settings.conflict !== 'skip' && settings.conflict !== 'overwrite');
    const structural = outcome.verification.flatMap((v) => [...v.indexDifferences, ...v.optionDifferences].map((d) => `${v.key}: ${d}`));
    const verifiedOk = missing === 0 && !mismatchFails && countDiffs.length === 0 && structural.length === 0;
    const of = `of ${formatCount(checked)} ${sampled ? 'sampled' : 'checked'} ${checked === 1 ? 'document' : 'documents'}`;
    checks.push({
      label: `Verification (${settings.verify})`,
      value: verifiedOk
        ? mismatched
          ? `passed: ${plural(checked - mismatched, 'document')} identical, ${formatCount(mismatched)} kept as the target had them`
          : `passed: ${plural(checked, 'document')} identical`
        : `failed: ${formatCount(missing)} missing, ${formatCount(mismatched)} different ${of}`,
    });
    if (!verifiedOk) {
      const where = (pick: (v: NamespaceVerification) => number) =>
        firstFew(outcome.verification!.filter((v) => pick(v) > 0).map((v) => `${v.key}: ${formatCount(pick(v))}`), (more) => `${more} more collections`).join(', ');
      const found: string[] = [];
      if (missing) found.push(`${formatCount(missing)} ${of} ${missing === 1 ? 'is' : 'are'} missing in the target (${where((v) => v.missing)})`);
      if (mismatchFails) found.push(`${formatCount(mismatched)} ${missing ? '' : `${of} `}${mismatched === 1 ? 'differs' : 'differ'} (${where((v) => v.mismatched)})`);
      if (countDiffs.length) found.push(`counts differ (${firstFew(countDiffs.map((v) => `${v.key}: source ${formatCount(v.sourceCount)}, target ${formatCount(v.targetCount)}`), (more) => `${more} more collections`).join('; ')})`);
      if (structural.length) found.push(`${structural.length} ${structural.length === 1 ? 'index or option differs' : 'indexes or options differ'}`);
      problems.push(`Verification: ${found.join('; ').replace(/ {2,}/g, ' ')}.`);
    }
    for (const v of outcome.verification) {
      if (v.missingIds.length) details.push({ title: `${v.key}: missing in the target (${formatCount(v.missing)})`, items: v.missingIds });
      if (v.mismatchedIds.length) details.push({ title: `${v.key}: different in the target (${formatCount(v.mismatched)})`, items: v.mismatchedIds });
    }
    if (countDiffs.length) details.push({ title: 'Document counts differ', items: countDiffs.map((v) => `${v.key}: source ${formatCount(v.sourceCount)}, target ${formatCount(v.targetCount)}`) });
    if (structural.length) details.push({ title: 'Indexes and options', items: structural });
  }

  const failed = problems.length > 0;
  const stats = [
    // A copy whose target does not hold what was sent has not copied it: the figure is what was written.
    { label: failed ? 'Documents written' : 'Documents copied', value: formatCount(copied) },
    ...(skipped ? [{ label: 'Already in target (kept)', value: formatCount(skipped) }] : []),
    { label: failed ? 'Data written' : 'Data copied', value: formatBytes(bytes) },
    { label: 'Namespaces', value: `${outcome.namespaces.filter((r) => r.status === 'done').length} of ${plan.namespaces.length}` },
    ...(outcome.resumed ? [{ label: 'Resumed', value: 'yes: carried on from the checkpoints on the target' }] : []),
    { label: 'Target', value: `${targetHost}` },
    ...checks,
  ];
  if (outcome.cancelled) {
    return { outcome: 'cancelled', summary: `Cancelled. ${formatCount(copied)} of ${plural(plan.totalDocs, 'document')} ${copied === 1 ? 'was' : 'were'} copied; the target is incomplete. Run the job again (History) to resume it.`, stats, details };
  }
  const what = scope.coll ? `${scope.db}.${scope.coll}` : scope.db ? `database ${scope.db}` : plural(plan.namespaces.length, 'namespace');
  if (failed) {
    // The headline says what is wrong; it never claims the documents were copied.
    const summary = `The copy of ${what} to ${targetHost} failed its checks. ${problems.join(' ')} The target is not a faithful copy: see below.`;
    return { outcome: 'failed', summary, stats, details };
  }
  const views = outcome.namespaces.filter((r) => r.kind === 'view' && r.status === 'done').length;
  const copiedWhat = `${formatCount(copied)} document${copied === 1 ? '' : 's'}${views ? ` and ${views} view${views === 1 ? '' : 's'}` : ''}`;
  const summary = `Copied ${copiedWhat} of ${what} to ${targetHost}.${outcome.verification ? ' Verification passed.' : counts.length ? ' Counts checked.' : ''}`;
  return { outcome: 'succeeded', heading: 'Copy finished', summary, stats, details };
}

function settingsFrom(presets: Record<string, string | undefined>, targetUri: string, scope: { db?: string; coll?: string }, uriDb?: string): CopySettings {
  const list = (value?: string) => (value ?? '').split(/[\n,]/).map((s) => s.trim()).filter(Boolean);
  const pick = presetChoice;
  const int = presetPositiveInt;
  return {
    targetUri,
    targetDb: presets.targetDb || (scope.db ? (uriDb ?? scope.db) : undefined),
    targetColl: presets.targetColl || scope.coll,
    conflict: pick(presets.conflict, CONFLICT_POLICIES, 'abort', 'conflict policy'),
    include: list(presets.include),
    exclude: list(presets.exclude),
    renames: list(presets.rename),
    load: pick(presets.load, LOAD_LEVELS, 'normal', 'load level'),
    indexes: pick(presets.indexes, ['after', 'before'] as const, 'after', 'index timing'),
    verify: pick(presets.verify, VERIFY_MODES, 'sample', 'verification'),
    sampleSize: int(presets.sampleSize, 'sampleSize') ?? 1_000,
    batchDocs: int(presets.batchDocs, 'batchDocs'),
    partitionDocs: int(presets.partitionDocs, 'partitionDocs'),
  };
}

function planForm(settings: CopySettings, scope: { db?: string; coll?: string }, redactedTarget: string, sameServer: boolean) {
  const fields: Parameters<ActionHost['ui']['form']>[0]['fields'] = [];
  if (scope.db) fields.push({ type: 'text', id: 'targetDb', label: 'Target database', value: settings.targetDb, required: true });
  if (scope.coll) fields.push({ type: 'text', id: 'targetColl', label: 'Target collection', value: settings.targetColl, required: true });
  if (!scope.coll) {
    fields.push(
      { type: 'text', id: 'include', label: 'Only these namespaces', value: settings.include.join(', '), placeholder: 'sales.*, crm.contacts', help: 'Comma-separated db.collection patterns; * is a wildcard. Empty: everything.' },
      { type: 'text', id: 'exclude', label: 'Leave out', value: settings.exclude.join(', '), placeholder: 'sales.tmp_*' },
      { type: 'text', id: 'rename', label: 'Renames', value: settings.renames.join(', '), placeholder: 'sales.orders->archive.orders', help: 'Comma-separated source->target namespaces; * carries over.' },
    );
  }
  fields.push(
    { type: 'select', id: 'conflict', label: 'If the target already has data', value: settings.conflict, options: CONFLICT_POLICIES.map((value) => ({ value, label: CONFLICT_LABELS[value] })) },
    { type: 'select', id: 'load', label: 'Load on the servers', value: settings.load, options: [{ value: 'low', label: 'Low (2 streams)' }, { value: 'normal', label: 'Normal (4 streams)' }, { value: 'high', label: 'High (8 streams)' }] },
    { type: 'select', id: 'indexes', label: 'Build indexes', value: settings.indexes, options: [{ value: 'after', label: 'After the data (faster)' }, { value: 'before', label: 'Before the data' }] },
    { type: 'select', id: 'verify', label: 'Verify after copying', value: settings.verify, options: [{ value: 'sample', label: 'A sample of documents' }, { value: 'full', label: 'Every document' }, { value: 'none', label: 'No verification' }] },
    { type: 'number', id: 'sampleSize', label: 'Sample size per collection', value: settings.sampleSize, min: 1, max: 1_000_000 },
  );
  return {
    title: 'Plan the copy',
    description: `Target: ${redactedTarget}`,
    submitLabel: 'Review the plan',
    fields,
    validate: (values: FormValues) => {
      const db = String(values.targetDb ?? settings.targetDb ?? '').trim();
      if (scope.db && (!db || /[/\\. "$]/.test(db))) return 'Enter a target database name without spaces, dots, slashes or $.';
      if (scope.coll && !String(values.targetColl ?? '').trim()) return 'Enter a target collection name.';
      if (sameServer && scope.db === db && (!scope.coll || String(values.targetColl).trim() === scope.coll)) return 'The target is the source itself: choose another database or collection.';
      try {
        compileNamespaceRules({ include: split(values.include), exclude: split(values.exclude), renames: split(values.rename) });
      } catch (error) {
        return (error as Error).message;
      }
      return undefined;
    },
  };
}

function settingsFromForm(values: FormValues, scope: { db?: string; coll?: string }, current: CopySettings): CopySettings {
  return {
    ...current,
    ...(scope.db && values.targetDb !== undefined ? { targetDb: String(values.targetDb).trim() } : {}),
    ...(scope.coll && values.targetColl !== undefined ? { targetColl: String(values.targetColl).trim() } : {}),
    ...(!scope.coll ? { include: split(values.include), exclude: split(values.exclude), renames: split(values.rename) } : {}),
    conflict: (values.conflict as ConflictPolicy | undefined) ?? current.conflict,
    load: (values.load as LoadLevel | undefined) ?? current.load,
    indexes: (values.indexes as IndexTiming | undefined) ?? current.indexes,
    verify: (values.verify as VerifyMode | undefined) ?? current.verify,
    sampleSize: Number(values.sampleSize) || current.sampleSize,
  };
}

function split(value: unknown): string[] {
  return String(value ?? '').split(/[\n,]/).map((s) => s.trim()).filter(Boolean);
}

function preflightReport(plan: Assessment, settings: CopySettings, redactedTarget: string) {
  const blocked = plan.notes.some((n) => n.level === 'error');
  return {
    title: 'Pre-flight report',
    message: `${plan.namespaces.length} namespace${plan.namespaces.length === 1 ? '' : 's'}, ${formatCount(plan.totalDocs)} documents, ${formatBytes(plan.totalBytes)} to ${redactedTarget} (${plan.targetFamily}). Estimated time: about ${formatDuration(plan.estimatedSeconds)}. Conflict policy: ${CONFLICT_LABELS[settings.conflict].toLowerCase()}; indexes ${settings.indexes} the data; verification: ${settings.verify}.`,
    columns: [
      { id: 'source', label: 'Source' },
      { id: 'target', label: 'Target' },
      { id: 'docs', label: 'Documents', align: 'right' as const },
      { id: 'size', label: 'Size', align: 'right' as const },
      { id: 'indexes', label: 'Indexes', align: 'right' as const },
      { id: 'options', label: 'Options' },
      { id: 'state', label: 'Target now' },
    ],
    rows: plan.namespaces.map((ns) => ({
      source: nsKey(ns.sourceDb, ns.sourceColl),
      target: nsKey(ns.targetDb, ns.targetColl),
      docs: ns.kind === 'view' ? '—' : formatCount(ns.docs),
      size: ns.kind === 'view' ? '—' : formatBytes(ns.bytes),
      indexes: ns.kind === 'view' ? '—' : String(ns.indexes),
      options: ns.options.join(', ') || '—',
      state: !ns.targetExists ? 'new' : ns.kind === 'view' ? 'exists' : plural(ns.targetDocs ?? 0, 'document'),
    })),
    notes: plan.notes,
    actions: [...(blocked ? [] : [{ id: 'start', label: plan.resuming ? 'Resume copy' : 'Start copy', primary: true }]), { id: 'change', label: 'Change the plan', primary: blocked }],
  };
}

function rememberable(settings: CopySettings): Record<string, string> {
  const out: Record<string, string> = {
    targetUri: settings.targetUri,
    conflict: settings.conflict,
    load: settings.load,
    indexes: settings.indexes,
    verify: settings.verify,
    sampleSize: String(settings.sampleSize),
  };
  if (settings.targetDb) out.targetDb = settings.targetDb;
  if (settings.targetColl) out.targetColl = settings.targetColl;
  if (settings.include.length) out.include = settings.include.join(',');
  if (settings.exclude.length) out.exclude = settings.exclude.join(',');
  if (settings.renames.length) out.rename = settings.renames.join(',');
  if (settings.batchDocs) out.batchDocs = String(settings.batchDocs);
  if (settings.partitionDocs) out.partitionDocs = String(settings.partitionDocs);
  return out;
}

/** The same copy (same servers, namespaces, policy) always gets the same key, so running it again resumes it. */
function jobKey(sourceHost: string, targetHost: string, namespaces: NamespaceSpec[], settings: CopySettings): string {
  const mapping = namespaces.map((ns) => `${nsKey(ns.sourceDb, ns.sourceColl)}>${nsKey(ns.targetDb, ns.targetColl)}`);
  return createHash('sha256').update(JSON.stringify({ sourceHost, targetHost, mapping, conflict: settings.conflict })).digest('hex').slice(0, 32);
}

async function checkTarget(value: string, timeout: number): Promise<string | undefined> {
  let parsed;
  try {
    parsed = parseConnectionString(value);
  } catch (error) {
    return (error as Error).message;
  }
  if (parsed.kind !== 'mongodb') return 'The target must be a MongoDB-compatible server (mongodb:// or mongodb+srv://).';
  let client: MongoClient | undefined;
  try {
    client = new MongoClient(parsed.uri, { serverSelectionTimeoutMS: timeout, connectTimeoutMS: timeout, appName: 'Cutover' });
    await connectPromptly(client);
    await client.db('admin').command({ ping: 1 });
    return undefined;
  } catch (error) {
    return describeMongoError(error, parsed.host);
  } finally {
    await client?.close().catch(() => undefined);
  }
}

function nsLabel(ns: { sourceDb: string; sourceColl: string; targetDb: string; targetColl: string; kind: string }): string {
  const from = nsKey(ns.sourceDb, ns.sourceColl);
  const to = nsKey(ns.targetDb, ns.targetColl);
  return `${from === to ? from : `${from} → ${to}`}${ns.kind === 'view' ? ' (view)' : ''}`;
}

/** The first three items, and a last one saying how many more there are. */
function firstFew(items: string[], more: (count: number) => string): string[] {
  return items.length <= 3 ? items : [...items.slice(0, 3), more(items.length - 3)];
}

/** After the target lost the copy's state: nothing can be resumed, and no figure of what was copied holds. */
function lostTarget(conflict: ConflictPolicy): string {
  return `Nothing is reported as copied and the copy cannot be resumed: run it again${conflict === 'drop' ? '' : ' with "drop the target collection first"'} to copy everything anew.`;
}

/** A driver's message as a sentence: "… will shut down" gets its full stop before the next sentence. */
function sentence(message: string): string {
  const text = message.trim();
  return !text || /[.!?:]$/.test(text) ? text : `${text}.`;
}

function copiedSoFar(outcome: CopyOutcome): string {
  const copied = outcome.namespaces.reduce((sum, r) => sum + r.docs, 0);
  return copied > 0 ? `${plural(copied, 'document')} had been copied before it stopped; the target is incomplete. Run the job again to resume it.` : 'Nothing was copied.';
}

/**
 * The person's flow of a copy: the target (checked before it is accepted), the plan form, the pre-flight
 * report (asked again until started or given up), then the copy in a worker thread with its progress,
 * pause and cancellation, and the result. Presets given up front skip the questions they answer.
 */
import { createHash } from 'node:crypto';
import { MongoClient } from 'mongodb';
import type { ActionHost, ActionResult, MigrationContext } from '../api/index';
import { CancelledError } from '../api/index';
import { parseConnectionString } from '../api/connection';
import { describeMongoError } from '../api/mongo-errors';
import { openPingedClient } from '../shared/mongo-connect';
import { assess, selectNamespaces, type Assessment } from './assess';
import { CheckpointStore } from './checkpoints';
import { CopyError } from './engine';
import { formatCount } from './format';
import { planForm, settingsFromForm } from './forms';
import { compileNamespaceRules } from './namespaces';
import { nsKey, type CopyOutcome, type CopyRequest, type NamespaceResult, type NamespaceSpec } from './plan';
import { rememberable, settingsFrom, type CopyScope, type CopySettings } from './presets';
import { startCopyJob } from './run-job';
import { copiedSoFar, lostTarget, preflightReport, sentence, summarise } from './summary';

export const COPY_COLLECTION = 'copy-collection';
export const COPY_DATABASE = 'copy-database';
export const COPY_SERVER = 'copy-server';

const PHASE_LABELS = {
  assess: 'Assess',
  create: 'Create',
  copy: 'Copy',
  indexes: 'Indexes',
  verify: 'Verify',
} as const;

export async function copyAction(
  context: MigrationContext,
  actionId: string | undefined,
  host: ActionHost,
  timeout: number,
): Promise<ActionResult> {
  const { ui, progress, cancellation } = host;
  const source = context.connection;
  if (!source || source.kind !== 'mongodb') throw new Error('Connect to a MongoDB-family server first.');
  if (actionId !== COPY_COLLECTION && actionId !== COPY_DATABASE && actionId !== COPY_SERVER)
    throw new Error(`Unknown action ${actionId ?? '(none)'}.`);
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
    (await ui.input({
      title: 'Copy to which server?',
      prompt: 'Connection string of the target MongoDB-compatible server',
      placeholder: 'mongodb://user:password@host:27017/',
      connections: ['mongodb'],
      validate: (value) => checkTarget(value, timeout),
    }));
  if (targetUri === undefined) throw stopped();
  const target = parseConnectionString(targetUri);
  if (target.kind !== 'mongodb')
    throw new Error('The target must be a MongoDB-compatible server (mongodb:// or mongodb+srv://).');
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
    host.keepChoices(choicesKey, {
      conflict: settings.conflict,
      load: settings.load,
      indexes: settings.indexes,
      verify: settings.verify,
    });
    host.begin();
    const first = plan.namespaces[0];
    host.route({
      to: `${target.host} · ${scope.coll && first ? `${first.targetDb}.${first.targetColl}` : scope.db && first ? first.targetDb : 'all databases'}`,
    });
    if (cancellation.isCancellationRequested) throw stopped();
    return await runPlannedCopy(host, plan, settings, source.uri, sourceHost, target.host, scope);
  } catch (error) {
    if (!(error instanceof Error) || !error.name.startsWith('Mongo')) throw error;
    throw new Error(describeMongoError(error, `${sourceHost} → ${target.host}`));
  } finally {
    await Promise.all([sourceClient.close().catch(() => undefined), targetClient.close().catch(() => undefined)]);
  }
}

async function assessPlan(
  source: MongoClient,
  target: MongoClient,
  settings: CopySettings,
  scope: CopyScope,
  targetHost: string,
  sourceHost: string,
): Promise<Assessment> {
  const renames = [...settings.renames];
  if (scope.coll && scope.db)
    renames.unshift(`${scope.db}.${scope.coll}->${settings.targetDb ?? scope.db}.${settings.targetColl ?? scope.coll}`);
  else if (scope.db && settings.targetDb && settings.targetDb !== scope.db)
    renames.push(`${scope.db}.*->${settings.targetDb}.*`);
  const mapper = compileNamespaceRules({ include: settings.include, exclude: settings.exclude, renames });
  const namespaces = await selectNamespaces(source, scope, mapper);
  if (namespaces.length === 0) throw new Error('Nothing to copy: no collection matches the filters.');
  const previous = await new CheckpointStore(target, jobKey(sourceHost, targetHost, namespaces, settings)).load();
  const plan = await assess(
    source,
    target,
    namespaces,
    settings.conflict,
    targetHost,
    !!previous && previous.state !== 'done',
  );
  if (sourceHost === targetHost) {
    for (const ns of namespaces) {
      if (ns.sourceDb === ns.targetDb && ns.sourceColl === ns.targetColl)
        plan.notes.unshift({
          level: 'error',
          text: `${nsKey(ns.sourceDb, ns.sourceColl)} would be copied onto itself: choose another target database or collection.`,
        });
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
  scope: CopyScope,
): Promise<ActionResult> {
  const { progress, cancellation, pause } = host;
  const labels = new Map(plan.namespaces.map((ns) => [nsKey(ns.targetDb, ns.targetColl), nsLabel(ns)]));
  for (const ns of plan.namespaces) {
    progress.item({
      id: nsKey(ns.targetDb, ns.targetColl),
      label: nsLabel(ns),
      status: 'pending',
      docs: 0,
      totalDocs: ns.docs,
      bytes: 0,
      totalBytes: ns.bytes || undefined,
    });
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
      detail:
        [
          result.partitions > 1 ? `${result.partitions} partitions` : '',
          result.skipped ? `${formatCount(result.skipped)} kept as they were` : '',
        ]
          .filter(Boolean)
          .join(' · ') || undefined,
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
    namespaces: plan.namespaces.map(({ sourceDb, sourceColl, targetDb, targetColl, kind }) => ({
      sourceDb,
      sourceColl,
      targetDb,
      targetColl,
      kind,
    })),
    conflict: settings.conflict,
    load: settings.load,
    indexes: settings.indexes,
    verify: settings.verify,
    sampleSize: settings.sampleSize,
    batchDocs: settings.batchDocs,
    partitionDocs: settings.partitionDocs,
  };
  const handle = startCopyJob(
    request,
    {
      phase: (name) => progress.phase(PHASE_LABELS[name]),
      namespace: report,
      warn: (message) => warnOrStall(progress, message),
    },
    cancellation.signal,
  );
  const unsubscribe = pause.onPauseChanged((paused) => (paused ? handle.pause() : handle.resume()));
  // Rows that did not finish get a final status, so nothing is left looking "running".
  const settleRows = (status: 'skipped' | 'failed') => {
    for (const [key, row] of rows)
      if (row.status === 'running' || row.status === 'pending')
        report({ ...row, key, status: row.status === 'running' ? status : 'skipped' });
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
    if (error instanceof CopyError)
      throw new Error(
        `${sentence(error.message)} ${error.outcome.targetLost ? lostTarget(settings.conflict) : copiedSoFar(error.outcome)}`.trim(),
      );
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
  const retry = /(the target is throttling|transient error)[^(]*\(.*\); retrying \(attempt (\d+) of (\d+)\)/is.exec(
    message,
  );
  if (retry)
    progress.stalled(
      `${/throttling/.test(retry[1]) ? 'Target is throttling' : 'Target unreachable'} — retrying (${retry[2]} of ${retry[3]})`,
    );
}

/** The same copy (same servers, namespaces, policy) always gets the same key, so running it again resumes it. */
function jobKey(sourceHost: string, targetHost: string, namespaces: NamespaceSpec[], settings: CopySettings): string {
  const mapping = namespaces.map((ns) => `${nsKey(ns.sourceDb, ns.sourceColl)}>${nsKey(ns.targetDb, ns.targetColl)}`);
  return createHash('sha256')
    .update(JSON.stringify({ sourceHost, targetHost, mapping, conflict: settings.conflict }))
    .digest('hex')
    .slice(0, 32);
}

async function checkTarget(value: string, timeout: number): Promise<string | undefined> {
  let parsed;
  try {
    parsed = parseConnectionString(value);
  } catch (error) {
    return (error as Error).message;
  }
  if (parsed.kind !== 'mongodb')
    return 'The target must be a MongoDB-compatible server (mongodb:// or mongodb+srv://).';
  try {
    const client = await openPingedClient(parsed.uri, { timeoutMs: timeout });
    await client.close().catch(() => undefined);
    return undefined;
  } catch (error) {
    return describeMongoError(error, parsed.host);
  }
}

function nsLabel(ns: {
  sourceDb: string;
  sourceColl: string;
  targetDb: string;
  targetColl: string;
  kind: string;
}): string {
  const from = nsKey(ns.sourceDb, ns.sourceColl);
  const to = nsKey(ns.targetDb, ns.targetColl);
  return `${from === to ? from : `${from} → ${to}`}${ns.kind === 'view' ? ' (view)' : ''}`;
}

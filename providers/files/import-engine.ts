/**
 * The import engine (runs in the files worker): file → reader → batches → BatchWriter, streaming with
 * backpressure, so memory does not grow with the file. Progress in bytes read and documents; a
 * checkpoint on the target after every batch; bad rows stop the import or go to the error log.
 *
 * Documents without an _id get one derived from the import and the record's position, so re-sending a
 * batch after a crash hits its own duplicates instead of inserting the documents twice.
 *
 * A mongodump folder's views are created last (dump-views.ts): they read the collections imported first.
 *
 * The request and its results are in import-request.ts, the checks before anything is written in
 * import-preflight.ts, and each file's import in import-file.ts.
 */
import { MongoClient } from 'mongodb';
import { readViews, refuseTakenViewNames, restoreViews } from './dump-views';
import { ErrorLog } from './error-log';
import { InputError } from './formats';
import { CheckpointLostError, ImportCheckpoints } from './import-checkpoints';
import { CountCheckError, importOne } from './import-file';
import { continuedLog, refuseInvalidNames, refuseTakenCollections } from './import-preflight';
import {
  ImportError,
  type Control,
  type ImportEvents,
  type ImportOutcome,
  type ImportRequest,
  type SourceResult,
} from './import-request';
import { describeStreamError } from './source-stream';

export * from './import-request';
export { checkpointKey, collectionNameProblem } from './import-preflight';

export async function runImport(
  request: ImportRequest,
  events: ImportEvents,
  control: Control,
): Promise<ImportOutcome> {
  const timeout = request.timeoutMs ?? 15_000;
  const client = new MongoClient(request.uri, {
    serverSelectionTimeoutMS: timeout,
    connectTimeoutMS: timeout,
    appName: 'Cutover import',
  });
  const heading = `Cutover import into ${request.db} (${new Date().toISOString()}): rows that were not imported`;
  let log = new ErrorLog(request.errorLog, heading, request.errorLogLimits);
  const results = request.sources.map<SourceResult>((s) => ({
    file: s.file,
    coll: s.coll,
    status: 'pending',
    docs: 0,
    bad: 0,
    skipped: 0,
    bytes: 0,
    totalBytes: 0,
    resumed: false,
    indexes: 0,
  }));
  const outcome: ImportOutcome = {
    cancelled: false,
    resumed: false,
    sources: results,
    views: [],
    errorCount: 0,
    firstErrors: [],
  };
  /** Closes the error log (its last lines written) and fills in the outcome. */
  const settle = async () => {
    await log.close();
    if (log.failure)
      events.warn(
        `The error log ${log.file} could not be written (${log.failure.message}): the first ${Math.min(log.count, log.first.length)} bad rows are listed in the result.`,
      );
    outcome.cancelled = control.isCancelled();
    outcome.errorCount = results.reduce((sum, r) => sum + r.bad, 0);
    outcome.firstErrors = log.first;
    outcome.errorLog = log.used ? log.file : undefined;
    outcome.errorLogCapped = log.capped;
    outcome.resumed = results.some((r) => r.resumed);
  };
  try {
    refuseInvalidNames(request);
    await client.connect();
    const checkpoints = new ImportCheckpoints(client);
    const continued = await continuedLog(checkpoints, request, events.warn);
    if (continued) {
      log = new ErrorLog(continued.errorLog!, heading, request.errorLogLimits);
      log.resume({ bytes: continued.logBytes ?? 0, rows: continued.logRows ?? 0 });
    }
    const views = await readViews(request.views ?? []);
    outcome.views = views.map((v) => ({
      coll: v.coll,
      viewOn: v.viewOn,
      metadataFile: v.metadataFile,
      status: 'pending',
    }));
    outcome.views.forEach((v) => events.view?.({ ...v }));
    // With "abort", a view whose name is taken stops the import before any collection is written.
    if (request.conflict === 'abort') {
      await refuseTakenCollections(client, checkpoints, request);
      await refuseTakenViewNames(client.db(request.db), views, events.warn);
    }
    events.phase('import');
    for (let i = 0; i < request.sources.length && !control.isCancelled(); i++) {
      const result = results[i];
      result.status = 'running';
      events.source({ ...result });
      try {
        await importOne(client, checkpoints, request, request.sources[i], result, log, events, control);
      } catch (error) {
        result.status = 'failed';
        events.source({ ...result });
        throw error;
      }
    }
    if (views.length && !control.isCancelled()) {
      events.phase('views');
      await restoreViews(client.db(request.db), views, request.conflict, outcome.views, events, control);
    }
    for (const r of results) if (r.status === 'pending' || r.status === 'running') r.status = 'skipped';
    for (const v of outcome.views) if (v.status === 'pending') v.status = 'skipped';
    await settle();
    return outcome;
  } catch (error) {
    await settle();
    if (error instanceof CheckpointLostError || error instanceof CountCheckError) outcome.targetLost = true;
    const message =
      error instanceof InputError ? error.message : describeStreamError(request.sources[0]?.file ?? '', error).message;
    throw new ImportError(message, outcome);
  } finally {
    await client.close().catch(() => undefined);
  }
}

#!/usr/bin/env node
/**
 * Runs the shipped main process as built (`out/main/index.js`, after `npm run build`) under plain Node,
 * with the stand-in `electron` module (scripts/electron-stand-in) answering both `import` (an ESM resolve
 * hook) and `require` (a CommonJS resolution hook, for electron-updater). Then it drives the IPC handlers
 * the main process registered, as the window would: a copy, an import and an update check, and prints one
 * line `RESULT {json}` with what happened (handlers, job snapshots, update state, worker files started).
 *
 * Environment: CUTOVER_USER_DATA_DIR (the profile), CUTOVER_UPDATE_URL (a generic update server) and
 * CHECK_SOURCE_URI, CHECK_TARGET_URI, CHECK_DB, CHECK_COLL, CHECK_TARGET_DB, CHECK_IMPORT_FILE,
 * CHECK_IMPORT_DB (the copy's source and target, and a file to import into the target).
 */
import Module, { createRequire, register, syncBuiltinESMExports } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const require = createRequire(import.meta.url);
const standInPath = path.join(here, 'electron-stand-in', 'electron.cjs');

// require('electron') from anywhere (electron-updater is CommonJS) gets the stand-in.
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (request === 'electron') return standInPath;
  return resolveFilename.call(this, request, ...rest);
};
// import 'electron' (the main bundle is ESM) gets the same object.
register('./electron-stand-in/hooks.mjs', import.meta.url);

// Which files worker threads are started from (they must be the bundle's own).
const workerThreads = require('node:worker_threads');
const workers = [];
const NodeWorker = workerThreads.Worker;
workerThreads.Worker = class extends NodeWorker {
  constructor(file, options) {
    workers.push(file instanceof URL ? fileURLToPath(file) : String(file));
    super(file, options);
  }
};
syncBuiltinESMExports();

const electron = require('electron');
const standIn = electron.__standIn;
const env = process.env;
const result = { errors: [] };

function fail(message) {
  result.errors.push(message);
}

const invoke = async (name, payload = {}) => {
  const outcome = await standIn.invoke(`cutover:${name}`, payload);
  if (!outcome?.ok) throw new Error(`${name}: ${outcome?.error?.message ?? JSON.stringify(outcome)}`);
  return outcome.value;
};

/**
 * Runs a job through IPC as a person at the window would: no presets (the window may not give any), each
 * question answered as it comes: the input with `fill.input`, a form with its own defaults except the
 * fields `fill.form` sets, a report with its primary action, a confirmation with yes, a pick with its
 * first item. Files are chosen in the host's own (stand-in) Open dialog, never by the window.
 */
async function runJob(name, request, fill = {}) {
  const { jobId } = await invoke('jobs.start', request);
  const answered = new Set();
  for (let turn = 0; turn < 3000; turn++) {
    const job = (await invoke('jobs.list')).find((j) => j.jobId === jobId);
    if (job && job.state !== 'running' && job.state !== 'paused') return job;
    for (const event of standIn.events) {
      const prompt = event.payload;
      if (event.channel !== 'cutover:job.prompt' || prompt.jobId !== jobId || answered.has(prompt.promptId)) continue;
      answered.add(prompt.promptId);
      const defaultOf = (field) =>
        field.value ?? (field.type === 'checkbox' ? false : field.type === 'number' ? 0 : '');
      const value =
        prompt.kind === 'input'
          ? fill.input
          : prompt.kind === 'form'
            ? Object.fromEntries(prompt.fields.map((field) => [field.id, fill.form?.[field.id] ?? defaultOf(field)]))
            : prompt.kind === 'report'
              ? (prompt.actions.find((a) => a.primary) ?? prompt.actions[0])?.id
              : prompt.kind === 'confirm'
                ? true
                : prompt.kind === 'pick'
                  ? prompt.items[0]?.id
                  : undefined;
      if (value === undefined && prompt.kind !== 'message')
        fail(`${name} asked what this check cannot answer: ${prompt.kind} "${prompt.title}"`);
      await invoke('prompts.answer', { jobId, promptId: prompt.promptId, value });
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  fail(`${name} did not finish`);
  await invoke('jobs.cancel', { jobId });
}

try {
  await import(pathToFileURL(path.join(root, 'out', 'main', 'index.js')).href);
  await standIn.loaded;
  result.handlers = [...standIn.handlers.keys()].sort();
  result.windowUrl = standIn.windows[0]?.url;
  result.webPreferences = standIn.windows[0]?.options?.webPreferences;

  // A caller that is not the app's own page is refused.
  result.untrusted = await standIn.invoke('cutover:app.info', {}, 'https://evil.example/');
  result.info = await invoke('app.info');

  if (env.CHECK_SOURCE_URI) {
    const source = await invoke('connections.open', { uri: env.CHECK_SOURCE_URI, name: 'Source' });
    result.copy = await runJob(
      'copy',
      {
        providerId: 'mongodb-copy',
        actionId: 'copy-collection',
        context: {
          connectionId: source.id,
          databaseName: env.CHECK_DB,
          collectionName: env.CHECK_COLL,
        },
      },
      { input: env.CHECK_TARGET_URI, form: { targetDb: env.CHECK_TARGET_DB, conflict: 'abort', verify: 'full' } },
    );
  }
  if (env.CHECK_IMPORT_FILE) {
    const target = await invoke('connections.open', { uri: env.CHECK_TARGET_URI, name: 'Target' });
    // The file comes from the host's Open dialog (the stand-in's answer), as in the app.
    standIn.dialogAnswers.open = [env.CHECK_IMPORT_FILE];
    result.import = await runJob('import', {
      providerId: 'files',
      actionId: 'import',
      context: { connectionId: target.id, databaseName: env.CHECK_IMPORT_DB },
    });
  }
  if (env.CUTOVER_UPDATE_URL) result.update = await invoke('update.check');
  result.settings = await invoke('settings.get');
  result.workers = workers.map((file) => path.relative(root, file));
  result.events = [...new Set(standIn.events.map((e) => e.channel))].sort();
} catch (error) {
  fail(error instanceof Error ? (error.stack ?? error.message) : String(error));
}
console.log(`RESULT ${JSON.stringify(result)}`);
process.exit(0);

/**
 * Cutover's core, free of Electron: connections, provider registry, job runner and the handlers of
 * every call in the IPC contract. The Electron main process, the browser harness, the CLI and the tests
 * all drive this same object.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rename, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { z } from 'zod';
import type { MigrationContext, MigrationProvider } from '../../providers/api/index';
import {
  calls,
  type CallName,
  type CallOutcome,
  type CallResponse,
  type Calls,
  type ContextRef,
  type EventName,
  type EventPayload,
  type IntakeResult,
} from '../../preload/contract';
import { Connections } from './connections';
import { intakeFile, intakeText, type IntakeFound } from './intake';
import { IntakePreviews } from './intake-previews';
import { checkConnection } from './saved-connections/connection-check';
import { MemorySecretStore } from './saved-connections/memory-secret-store';
import { SavedConnectionStore } from './saved-connections/store';
import { writeCutoverFile } from './connection-files/cutover-file';
import { IMPORTABLE_DATA_FORMATS } from './connection-files/classify';
import { JobHistory } from './job-history';
import { parseConnectionString } from './connection-string';
import { FileKeySecretStore, type SecretStore } from './secret-store';
import { collectionData } from './data-view';
import { LastChoices } from './last-choices';
import { JobRunner } from './job-runner';
import { ProviderRegistry } from './registry';
import { exists, whyNotReplaceable, type HostDialogs } from './host-dialogs';
import { SettingsStore } from './settings';
import { UpdateService, type UpdaterLike } from './update/update-service';
import { installedProviderCalls, noInstalledProviderCalls, type InstalledProvidersOptions } from './providers/core-calls';
import { ensurePrivateDataDir } from './data-dir';
import { BadRequestError, NotFoundError } from '../../providers/api/errors';
import { wireError } from './wire-error';

export interface CoreOptions {
  providers: MigrationProvider[];
  shell: 'electron' | 'browser';
  version: string;
  /** Where jobs keep their records and logs (History); omit to keep nothing on disk. */
  dataDir?: string;
  /** Seals secrets before they are written; defaults to a key file in dataDir. */
  secrets?: SecretStore;
  /** Only these provider ids may register (enforced here, by the host). */
  providerAllowlist?: ReadonlySet<string>;
  openExternal?(url: string): Promise<void>;
  /** Questions only the host asks (Save dialogs, confirmations): Electron's native dialogs, the harness's terminal. */
  hostDialogs?: HostDialogs;
  connectTimeoutMs?: number;
  progressThrottleMs?: number;
  /** Auto-update (desktop app and harness); without it updates are disabled. */
  updates?: CoreUpdateOptions;
  /** Installed third-party providers (policy file, isolation limits, --allow-provider ids); they need dataDir. */
  installedProviders?: InstalledProvidersOptions;
}

export interface CoreUpdateOptions {
  /** electron-updater's updater; absent: disabled, for disabledReason. */
  updater?: UpdaterLike;
  disabledReason?: string;
  /** in-place: AppImage, Windows, macOS; download: a .deb install, which the person downloads from the release page. */
  install: 'in-place' | 'download';
  releasePageUrl?: string;
  /** Electron: restarts into the update through the quit flow, which asks about running jobs and stops them first. */
  restart?(): Promise<'restarting' | 'declined'>;
}

export const RELEASE_PAGE_URL = 'https://cutover.app/download';
/** A data file dropped or opened, checked on the main side, kept here by id: the window never holds its path. */
interface Drop {
  path: string;
  fileName: string;
  format: string;
}

/** Drops kept at most (oldest forgotten first). */
const MAX_DROPS = 100;

/** The calls whose payload carries a context (and so could carry presets). */
const CONTEXT_CALLS = new Set<string>(['providers.list', 'providers.actions', 'jobs.start']);

export type EventListener = <K extends EventName>(name: K, payload: EventPayload<K>) => void;
type Handlers = { [K in CallName]: (request: z.output<Calls[K]['request']>) => Promise<CallResponse<K>> };

export function createCore(options: CoreOptions) {
  const listeners = new Set<EventListener>();
  const emit: EventListener = (name, payload) => listeners.forEach((listener) => listener(name, payload));
  const openExternal = options.openExternal ?? (async () => undefined);

  if (options.dataDir) ensurePrivateDataDir(options.dataDir);
  const registry = new ProviderRegistry(options.providerAllowlist);
  options.providers.forEach((provider) => registry.register(provider));
  const installed = options.dataDir
    ? installedProviderCalls({ dataDir: options.dataDir, registry, builtinIds: new Set(options.providers.map((p) => p.id)), hostDialogs: options.hostDialogs, platform: options.installedProviders ?? {} })
    : undefined;
  const history = options.dataDir ? new JobHistory(options.dataDir) : undefined;
  const secrets = options.secrets ?? (options.dataDir ? new FileKeySecretStore(options.dataDir) : undefined);
  // Saved connections: in the data folder, or (without one) for this run only.
  const saved = options.dataDir ? SavedConnectionStore.inDataDir(options.dataDir, secrets ?? new MemorySecretStore()) : new SavedConnectionStore(undefined, secrets ?? new MemorySecretStore());
  const connections = new Connections({ connectTimeoutMs: options.connectTimeoutMs, saved });
  const previews = new IntakePreviews(saved);
  const settings = options.dataDir ? SettingsStore.inDataDir(options.dataDir) : new SettingsStore(undefined);
  const updates = new UpdateService({
    updater: options.updates?.updater,
    disabledReason: options.updates?.disabledReason ?? 'Updates are not part of this way of running Cutover.',
    install: options.updates?.install ?? 'in-place',
    settings: () => settings.get(),
    onChange: (state) => emit('update.changed', state),
  });
  const activeJobs = () => runner.list().filter((job) => job.state === 'running' || job.state === 'paused');
  /** Private copies of dropped files (their folders), by the job importing them: removed once it succeeds. */
  const dropCopies = new Set<string>();
  const importingDrop = new Map<string, string>();
  const forgetDropOnSuccess = (snapshot: { jobId: string; state: string }) => {
    const dir = importingDrop.get(snapshot.jobId);
    if (!dir || snapshot.state !== 'succeeded') return;
    importingDrop.delete(snapshot.jobId);
    dropCopies.delete(dir);
    void rm(dir, { recursive: true, force: true });
  };
  const noteDropImport = (jobId: string, file: string | undefined) => {
    const dir = file ? path.dirname(path.resolve(file)) : undefined;
    // A copy made in this run, or one in the data folder's drops/ (a job resumed from History after a restart).
    const inDrops = !!dir && !!options.dataDir && path.dirname(dir) === path.resolve(options.dataDir, 'drops') && path.basename(dir).startsWith('drop-');
    if (dir && (dropCopies.has(dir) || inDrops)) importingDrop.set(jobId, dir);
  };

  const runner = new JobRunner({
    openExternal,
    history,
    secrets,
    logDir: options.dataDir ? path.join(options.dataDir, 'logs') : undefined,
    throttleMs: options.progressThrottleMs,
    dialogs: options.hostDialogs,
    choices: options.dataDir ? LastChoices.inDataDir(options.dataDir) : new LastChoices(),
    connectionChoices: async (kinds) => {
      // Open connections first (those of this run), then saved ones not already open.
      const open = connections.list().filter((c) => kinds.includes(c.kind));
      const openSaved = new Set(open.map((c) => c.savedId).filter(Boolean));
      const stored = (await saved.list()).filter((s) => kinds.includes(s.kind) && !openSaved.has(s.id));
      return [
        ...open.map((c) => ({ ref: `open:${c.id}`, label: c.name, detail: c.redactedUri, group: 'open' as const, uri: connections.context(c.id).connection.uri })),
        ...(await Promise.all(stored.map(async (s) => ({ ref: `saved:${s.id}`, label: s.name, detail: s.redactedUri, group: 'saved' as const, uri: await saved.uriOf(s.id) })))),
      ];
    },
    events: {
      updated: (snapshot) => {
        emit('job.updated', snapshot);
        forgetDropOnSuccess(snapshot);
      },
      prompt: (prompt) => emit('job.prompt', prompt),
      promptClosed: (jobId, promptId) => emit('job.promptClosed', { jobId, promptId }),
    },
  });

  function resolveContext(ref: z.output<typeof calls['providers.list']['request']>['context']): MigrationContext {
    const base = { databaseName: ref.databaseName, collectionName: ref.collectionName, extendedProperties: ref.extendedProperties ?? {} };
    if (!ref.connectionId) return { ...base, authenticated: false };
    return { ...base, ...connections.context(ref.connectionId) };
  }

  const connectionsChanged = () => emit('connections.changed', connections.list());

  const savedChanged = async () => emit('connections.savedChanged', await saved.list());

  /**
   * A connection file read by the intake becomes a preview: nothing is saved until the person commits.
   * A data file is handed on: its path (for dropped content, a private copy) goes to the files provider.
   */
  async function toIntakeResult(found: IntakeFound, filePath?: () => Promise<string>): Promise<IntakeResult> {
    if (found.category !== 'data-file') return previews.create(found);
    const format = found.dataFormat ?? 'data';
    if (!IMPORTABLE_DATA_FORMATS.has(format) || !filePath) {
      return { fileName: found.fileName, connections: [], errors: [`${found.fileName}: not a connection file, and no provider imports ${format.toUpperCase()} files yet.`], category: 'data-file' };
    }
    const dropId = randomUUID();
    drops.set(dropId, { path: await filePath(), fileName: found.fileName, format });
    while (drops.size > MAX_DROPS) drops.delete(drops.keys().next().value!);
    return { fileName: found.fileName, connections: [], errors: [], category: 'data-file', dataFile: { dropId, format } };
  }

  const drops = new Map<string, Drop>();

  /** The presets of a drop's import: its path, for reading, checked again now. */
  async function dropPresets(dropId: string, providerId: string, actionId: string | undefined): Promise<Record<string, string>> {
    const drop = drops.get(dropId);
    if (!drop) throw new NotFoundError('This dropped file is no longer available: drop it again.');
    if (providerId !== 'files' || actionId !== 'import') throw new BadRequestError(`${drop.fileName} can only be imported (Files: import and export → Import a file).`);
    const info = await stat(drop.path).catch(() => undefined);
    if (!info || !(info.isFile() || (info.isDirectory() && drop.format === 'mongodump'))) throw new BadRequestError(`${drop.fileName} is no longer there: drop it again.`);
    drops.delete(dropId);
    return { file: drop.path };
  }

  /** Dropped content has no path the main side can read: keep a private copy for the import. */
  async function copyOfDroppedText(fileName: string, text: string): Promise<string> {
    const parent = options.dataDir ? path.join(options.dataDir, 'drops') : os.tmpdir();
    await mkdir(parent, { recursive: true });
    const dir = await mkdtemp(path.join(parent, 'drop-'));
    const file = path.join(dir, path.basename(fileName) || 'dropped-file');
    await writeFile(file, text, { mode: 0o600 });
    dropCopies.add(dir);
    return file;
  }

  /** The text of a .cutover file of these saved connections (main side only: it may hold sealed secrets). */
  async function exportText(ids: string[], passphrase?: string): Promise<{ fileName: string; content: string; names: string[]; withSecrets: boolean }> {
    const entries = await saved.exportEntries(ids);
    const fileName = entries.length === 1 ? `${entries[0].name.replace(/[^\p{L}\p{N}._ -]+/gu, '_').trim() || 'connection'}.cutover` : 'connections.cutover';
    const withSecrets = !!passphrase && entries.some((e) => e.secrets.password || e.secrets.options);
    return { fileName, content: await writeCutoverFile(entries, { passphrase }), names: entries.map((e) => e.name), withSecrets };
  }

  /**
   * Export for the window: the host asks where to write (and, for secrets, whether to), the main side
   * writes the file (owner-only), and the window learns only the file's name or that it was cancelled.
   */
  async function exportToChosenFile(ids: string[], passphrase?: string): Promise<{ fileName?: string }> {
    const dialogs = options.hostDialogs;
    if (!dialogs) throw new BadRequestError('Exporting needs a Save dialog on the host side, and this Cutover has none: use the desktop app, or "cutover connections export --out FILE".');
    const { fileName, content, names, withSecrets } = await exportText(ids, passphrase);
    if (withSecrets) {
      const listed = names.length <= 5 ? names.map((n) => `"${n}"`).join(', ') : `${names.slice(0, 5).map((n) => `"${n}"`).join(', ')} and ${names.length - 5} more`;
      const agreed = await dialogs.confirm({
        message: `Export ${names.length === 1 ? 'this connection' : `${names.length} connections`} with ${names.length === 1 ? 'its' : 'their'} passwords?`,
        detail: `Passwords, tokens and secret options of ${listed} will be written to a file, encrypted with the passphrase typed in the window. Anyone who has the file and the passphrase can read them.`,
        confirmLabel: 'Export with passwords',
      });
      if (!agreed) return {};
    }
    const choice = await dialogs.chooseFile({
      jobTitle: 'Export connections',
      mode: 'save',
      pick: 'file',
      title: 'Export connections',
      defaultName: fileName,
      filters: [{ name: 'Cutover connection file', extensions: ['cutover'] }],
    });
    if (!choice) return {};
    const target = choice.path;
    const refusal = whyNotReplaceable(target);
    if (refusal) throw new BadRequestError(refusal);
    if (!choice.replaceConfirmed && exists(target) && !(await dialogs.confirmReplace({ jobTitle: 'Export connections', title: 'Export connections', files: [target] }))) return {};
    // Written beside the target, then renamed: readable by its owner only, never half-written.
    const tmp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.tmp`);
    try {
      await writeFile(tmp, content, { mode: 0o600 });
      await rename(tmp, target);
    } catch (error) {
      await rm(tmp, { force: true });
      throw new Error(`${path.basename(target)} could not be written: ${(error as Error).message}`);
    }
    return { fileName: path.basename(target) };
  }

  function requireProvider(id: string): MigrationProvider {
    const provider = registry.get(id);
    if (!provider) throw new NotFoundError(`No migration provider "${id}".`);
    return provider;
  }

  const handlers: Handlers = {
    ...(installed?.handlers ?? noInstalledProviderCalls()),
    'app.info': async () => ({ version: options.version, platform: process.platform, shell: options.shell }),
    'connections.open': async ({ uri, name }) => {
      const summary = await connections.connect(uri, name);
      connectionsChanged();
      return summary;
    },
    'connections.list': async () => connections.list(),
    'connections.close': async ({ connectionId }) => {
      await connections.close(connectionId);
      connectionsChanged();
      return {};
    },
    'connections.browse': async ({ connectionId }) => ({ databases: await connections.browse(connectionId) }),
    'data.collection': async ({ connectionId, databaseName, collectionName, skip, limit }) => {
      const { client, where } = await connections.mongoClientOf(connectionId);
      return collectionData(client, where, databaseName, collectionName, skip, limit);
    },
    'intake.content': async ({ fileName, text }) => toIntakeResult(await intakeText(fileName, text), () => copyOfDroppedText(fileName, text)),
    'intake.path': async ({ path: filePath }) => toIntakeResult(await intakeFile(filePath, { fromWindow: true }), async () => path.resolve(filePath)),
    'intake.unlock': async ({ previewId, passphrase }) => previews.unlock(previewId, passphrase),
    'intake.commit': async ({ previewId, entryIds }) => {
      const result = { saved: await previews.commit(previewId, entryIds) };
      await savedChanged();
      return result;
    },
    'intake.discard': async ({ previewId }) => {
      previews.discard(previewId);
      return {};
    },
    'connections.saved.list': async () => saved.list(),
    'connections.saved.add': async ({ uri, name, favourite }) => {
      const added = await saved.add({ uri, name, favourite });
      await savedChanged();
      return added;
    },
    'connections.saved.update': async ({ id, ...change }) => {
      const updated = await saved.update(id, change);
      await savedChanged();
      return updated;
    },
    'connections.saved.duplicate': async ({ id }) => {
      const copy = await saved.duplicate(id);
      await savedChanged();
      return copy;
    },
    'connections.saved.delete': async ({ id }) => {
      await saved.remove(id);
      await savedChanged();
      return {};
    },
    'connections.saved.test': async ({ id, uri }) => {
      if (!id === !uri) throw new BadRequestError('Give either a saved connection id or a connection string to test.');
      return checkConnection(id ? await saved.uriOf(id) : uri!, { timeoutMs: options.connectTimeoutMs });
    },
    'connections.saved.connect': async ({ id }) => {
      const summary = await connections.connectSaved(id);
      connectionsChanged();
      await savedChanged();
      return summary;
    },
    'connections.saved.export': async ({ ids, passphrase }) => exportToChosenFile(ids, passphrase),
    'providers.list': async ({ context }) =>
      registry.availability(resolveContext(context)).map(({ provider, available, unavailableReason }) => ({
        id: provider.id,
        label: provider.label,
        description: provider.description,
        icon: provider.icon,
        learnMoreUrl: provider.learnMoreUrl,
        requiresAuthentication: provider.requiresAuthentication ?? false,
        appliesTo: provider.appliesTo,
        available,
        unavailableReason,
      })),
    'providers.actions': async ({ providerId, context }) => {
      const resolved = resolveContext(context);
      const provider = requireAvailable(providerId, resolved);
      return { actions: await registry.actions(provider, resolved) };
    },
    'jobs.start': async ({ providerId, actionId, context }) => {
      const resolved = resolveContext(context);
      const provider = requireAvailable(providerId, resolved);
      const actions = await registry.actions(provider, resolved);
      let title = provider.label;
      if (actions.length === 0) {
        if (actionId) throw new BadRequestError(`${provider.label} has no actions to choose from: start it without one.`);
        if (provider.requiresAuthentication && !resolved.authenticated) throw new BadRequestError(`${provider.label} needs a connection with credentials the server accepted.`);
      } else {
        const action = actions.find((a) => a.id === actionId);
        if (!action) throw new BadRequestError(actionId ? `${provider.label} has no action "${actionId}".` : `Choose one of ${provider.label}'s actions.`);
        if (action.disabledReason) throw new BadRequestError(`${action.label}: ${action.disabledReason}`);
        title = action.label;
      }
      const where = [resolved.databaseName, resolved.collectionName].filter(Boolean).join('.');
      if (context.dropId) resolved.extendedProperties = { ...resolved.extendedProperties, ...(await dropPresets(context.dropId, providerId, actionId)) };
      const jobId = runner.start(provider, actionId, resolved, where ? `${title}: ${where}` : title);
      noteDropImport(jobId, resolved.extendedProperties.file);
      return { jobId };
    },
    'jobs.cancel': async ({ jobId }) => {
      runner.cancel(jobId);
      return {};
    },
    'jobs.pause': async ({ jobId }) => {
      runner.pause(jobId);
      return {};
    },
    'jobs.resume': async ({ jobId }) => {
      runner.resume(jobId);
      return {};
    },
    'jobs.log': ({ jobId }) => runner.log(jobId),
    'jobs.list': async () => runner.list(),
    'history.list': async () => {
      const live = new Map(runner.list().map((s) => [s.jobId, s]));
      const records = history ? await history.list(new Set(live.keys())) : [];
      return records.map(({ rerun: _rerun, ...record }) => {
        const now = live.get(record.jobId);
        return now ? { ...record, state: now.state, docs: now.docs, bytes: now.bytes, summary: now.summary, stats: now.stats, details: now.details, endedAt: now.endedAt } : record;
      });
    },
    'history.rerun': async ({ jobId }) => {
      const record = await history?.get(jobId);
      if (!record?.rerun || !secrets) throw new NotFoundError('This job cannot be run again: its record is missing or holds no parameters.');
      if (runner.list().some((s) => s.jobId === jobId && (s.state === 'running' || s.state === 'paused'))) throw new BadRequestError('This job is still running.');
      const { uri, parameters } = JSON.parse(secrets.open(record.rerun.sealed)) as { uri?: string; parameters: Record<string, string> };
      const provider = requireProvider(record.rerun.providerId);
      const connection = uri ? connections.add(parseConnectionString(uri), record.rerun.connectionName) : undefined;
      if (connection) connectionsChanged();
      const context: MigrationContext = {
        ...(connection ? connections.context(connection.id) : { authenticated: false }),
        databaseName: record.rerun.databaseName,
        collectionName: record.rerun.collectionName,
        extendedProperties: parameters,
      };
      const rerunId = runner.start(provider, record.rerun.actionId, context, record.title);
      noteDropImport(rerunId, parameters.file);
      return { jobId: rerunId };
    },
    'prompts.answer': async ({ jobId, promptId, value }) => {
      runner.answer(jobId, promptId, value);
      return {};
    },
    'prompts.preview': async ({ jobId, promptId, mapping, collection }) => runner.preview(jobId, promptId, mapping, collection),
    'shell.openExternal': async ({ url }) => {
      await openExternal(url);
      return {};
    },
    'settings.get': async () => ({ settings: await settings.get(), problem: settings.problem() }),
    'settings.update': async (change) => {
      const next = await settings.update(change);
      await updates.applySettings();
      return { settings: next };
    },
    'update.state': async () => updates.state(),
    'update.check': async () => updates.check(),
    'update.download': async () => updates.download(),
    'update.install': async ({ stopRunningJobs }) => {
      if (updates.state().state !== 'ready') throw new BadRequestError('No update has been downloaded yet.');
      const active = activeJobs().length;
      if (options.updates?.restart) return { outcome: await options.updates.restart(), activeJobs: active };
      // No host dialog here (the browser harness): the window asks, and says so in the request.
      if (active > 0 && !stopRunningJobs) return { outcome: 'jobs-running' as const, activeJobs: active };
      await Promise.all(
        activeJobs().map((job) => {
          runner.cancel(job.jobId);
          return runner.whenDone(job.jobId);
        }),
      );
      updates.markRestarting();
      return { outcome: 'restarting' as const, activeJobs: active };
    },
    'update.openReleasePage': async () => {
      await openExternal(options.updates?.releasePageUrl ?? RELEASE_PAGE_URL);
      return {};
    },
  };

  function requireAvailable(providerId: string, context: MigrationContext): MigrationProvider {
    const provider = requireProvider(providerId);
    const availability = registry.availability(context).find((a) => a.provider === provider);
    if (availability && !availability.available) throw new BadRequestError(`${provider.label}: ${availability.unavailableReason}`);
    return provider;
  }

  /** Validates and runs one call. Never throws: errors come back as data. */
  async function dispatch(name: string, payload: unknown): Promise<CallOutcome<unknown>> {
    if (!Object.hasOwn(calls, name)) return { ok: false, error: { code: 'bad_request', message: `Unknown call "${name}".` } };
    const callName = name as CallName;
    const parsed = calls[callName].request.safeParse(payload ?? {});
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => `${i.path.join('.') || 'payload'}: ${i.message}`).join('; ');
      return { ok: false, error: { code: 'bad_request', message: `Invalid ${callName} request: ${issues}` } };
    }
    try {
      const handler = handlers[callName] as (request: unknown) => Promise<unknown>;
      return { ok: true, value: await handler(parsed.data) };
    } catch (error) {
      // A CutoverError's own code; anything else is an internal failure, without its stack.
      return { ok: false, error: wireError(error) };
    }
  }

  if (options.updates) void updates.start();
  /**
   * What the window's transports (Electron's IPC host, the harness's WebSocket) call: the same calls,
   * but the window gives no presets. Presets can name files, skip the settings and the preview, or hold
   * answers: they come from the host (the command line, History's record, a drop the core checked).
   */
  async function dispatchFromWindow(name: string, payload: unknown): Promise<CallOutcome<unknown>> {
    if (CONTEXT_CALLS.has(name) && payload && typeof payload === 'object') {
      const presets = (payload as { context?: { extendedProperties?: unknown } }).context?.extendedProperties;
      if (presets && typeof presets === 'object' && Object.keys(presets).length) {
        return { ok: false, error: { code: 'bad_request', message: `Invalid ${name} request: presets (context.extendedProperties) are given by Cutover itself, never by the window. Start without them and answer the questions.` } };
      }
    }
    return dispatch(name, payload);
  }

  return {
    /** The host's own entry (the CLI, tests): trusted, presets allowed. */
    dispatch,
    dispatchFromWindow,
    onEvent(listener: EventListener): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    /** For files opened from outside the window (argv, open-file, second-instance, File > Open). */
    async openFile(filePath: string): Promise<IntakeResult> {
      const result = await toIntakeResult(await intakeFile(filePath), async () => path.resolve(filePath));
      emit('file.opened', result);
      return result;
    },
    /** Main-side callers only (the CLI writes it to --out or stdout): the export's text. Never for the window. */
    async exportConnections(ids: string[], passphrase?: string): Promise<{ fileName: string; content: string }> {
      const { fileName, content } = await exportText(ids, passphrase);
      return { fileName, content };
    },
    runner,
    connections,
    saved,
    registry,
    /** The installed-provider platform (undefined without a data folder). */
    providerPlatform: installed?.platform,
    settings,
    updates,
    async shutdown(): Promise<void> {
      updates.stop();
      await runner.shutdown();
      await connections.closeAll();
    },
  };
}

export type CutoverCore = ReturnType<typeof createCore>;
export type { ContextRef };

/**
 * Cutover's core, free of Electron: connections, provider registry, job runner and the handlers of
 * every call in the IPC contract. The Electron main process, the browser harness, the CLI and the tests
 * all drive this same object. The calls about providers and jobs are in ./job-calls.ts, dropped and
 * opened files in ./dropped-files.ts, the export of saved connections in ./connection-export.ts.
 */
import path from 'node:path';
import type { MigrationProvider } from '../../providers/api/index';
import {
  calls,
  type CallName,
  type CallOutcome,
  type ContextRef,
  type EventName,
  type EventPayload,
  type IntakeResult,
} from '../../preload/contract';
import type { Handlers } from './call-handlers';
import { exportText, exportToChosenFile } from './connection-export';
import { Connections } from './connections';
import { DroppedFiles } from './dropped-files';
import { intakeFile, intakeText } from './intake';
import { IntakePreviews } from './intake-previews';
import { checkConnection } from './saved-connections/connection-check';
import { MemorySecretStore } from './saved-connections/memory-secret-store';
import { SavedConnectionStore } from './saved-connections/store';
import { JobHistory } from './job-history';
import { jobCalls } from './job-calls';
import { FileKeySecretStore, type SecretStore } from './secret-store';
import { collectionData } from './data-view';
import { LastChoices } from './last-choices';
import { JobRunner } from './job-runner';
import { ProviderRegistry } from './registry';
import type { HostDialogs } from './host-dialogs';
import { SettingsStore } from './settings';
import { UpdateService, type UpdaterLike } from './update/update-service';
import {
  installedProviderCalls,
  noInstalledProviderCalls,
  type InstalledProvidersOptions,
} from './providers/core-calls';
import { ensurePrivateDataDir } from './data-dir';
import { BadRequestError } from '../../providers/api/errors';
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

/** The calls whose payload carries a context (and so could carry presets). */
const CONTEXT_CALLS = new Set<string>(['providers.list', 'providers.actions', 'jobs.start']);

export type EventListener = <K extends EventName>(name: K, payload: EventPayload<K>) => void;

export function createCore(options: CoreOptions) {
  const listeners = new Set<EventListener>();
  const emit: EventListener = (name, payload) => listeners.forEach((listener) => listener(name, payload));
  const openExternal = options.openExternal ?? (async () => undefined);

  if (options.dataDir) ensurePrivateDataDir(options.dataDir);
  const registry = new ProviderRegistry(options.providerAllowlist);
  options.providers.forEach((provider) => registry.register(provider));
  const installed = options.dataDir
    ? installedProviderCalls({
        dataDir: options.dataDir,
        registry,
        builtinIds: new Set(options.providers.map((p) => p.id)),
        hostDialogs: options.hostDialogs,
        platform: options.installedProviders ?? {},
      })
    : undefined;
  const history = options.dataDir ? new JobHistory(options.dataDir) : undefined;
  const secrets = options.secrets ?? (options.dataDir ? new FileKeySecretStore(options.dataDir) : undefined);
  // Saved connections: in the data folder, or (without one) for this run only.
  const saved = options.dataDir
    ? SavedConnectionStore.inDataDir(options.dataDir, secrets ?? new MemorySecretStore())
    : new SavedConnectionStore(undefined, secrets ?? new MemorySecretStore());
  const connections = new Connections({ connectTimeoutMs: options.connectTimeoutMs, saved });
  const previews = new IntakePreviews(saved);
  const drops = new DroppedFiles(options.dataDir, previews);
  const settings = options.dataDir ? SettingsStore.inDataDir(options.dataDir) : new SettingsStore(undefined);
  const updates = new UpdateService({
    updater: options.updates?.updater,
    disabledReason: options.updates?.disabledReason ?? 'Updates are not part of this way of running Cutover.',
    install: options.updates?.install ?? 'in-place',
    settings: () => settings.get(),
    onChange: (state) => emit('update.changed', state),
  });
  const activeJobs = () => runner.list().filter((job) => job.state === 'running' || job.state === 'paused');
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
        ...open.map((c) => ({
          ref: `open:${c.id}`,
          label: c.name,
          detail: c.redactedUri,
          group: 'open' as const,
          uri: connections.context(c.id).connection.uri,
        })),
        ...(await Promise.all(
          stored.map(async (s) => ({
            ref: `saved:${s.id}`,
            label: s.name,
            detail: s.redactedUri,
            group: 'saved' as const,
            uri: await saved.uriOf(s.id),
          })),
        )),
      ];
    },
    events: {
      updated: (snapshot) => {
        emit('job.updated', snapshot);
        drops.jobUpdated(snapshot);
      },
      prompt: (prompt) => emit('job.prompt', prompt),
      promptClosed: (jobId, promptId) => emit('job.promptClosed', { jobId, promptId }),
    },
  });

  const connectionsChanged = () => emit('connections.changed', connections.list());

  const savedChanged = async () => emit('connections.savedChanged', await saved.list());

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
    'intake.content': async ({ fileName, text }) =>
      drops.toIntakeResult(await intakeText(fileName, text), () => drops.copyOfText(fileName, text)),
    'intake.path': async ({ path: filePath }) =>
      drops.toIntakeResult(await intakeFile(filePath, { fromWindow: true }), async () => path.resolve(filePath)),
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
    'connections.saved.export': async ({ ids, passphrase }) =>
      exportToChosenFile(saved, options.hostDialogs, ids, passphrase),
    ...jobCalls({ registry, runner, connections, drops, history, secrets, connectionsChanged }),
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

  /** Validates and runs one call. Never throws: errors come back as data. */
  async function dispatch(name: string, payload: unknown): Promise<CallOutcome<unknown>> {
    if (!Object.hasOwn(calls, name))
      return { ok: false, error: { code: 'bad_request', message: `Unknown call "${name}".` } };
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
        return {
          ok: false,
          error: {
            code: 'bad_request',
            message: `Invalid ${name} request: presets (context.extendedProperties) are given by Cutover itself, never by the window. Start without them and answer the questions.`,
          },
        };
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
      const result = await drops.toIntakeResult(await intakeFile(filePath), async () => path.resolve(filePath));
      emit('file.opened', result);
      return result;
    },
    /** Main-side callers only (the CLI writes it to --out or stdout): the export's text. Never for the window. */
    async exportConnections(ids: string[], passphrase?: string): Promise<{ fileName: string; content: string }> {
      const { fileName, content } = await exportText(saved, ids, passphrase);
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

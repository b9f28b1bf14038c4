/**
 * The one IPC contract between the window and the main side.
 *
 * Every request/response call and every event is declared here with a zod schema. The preload,
 * the main-side handlers and the browser harness are all built from this module, and every payload
 * is validated where it arrives. Nothing else crosses. The shapes they carry are in ./shapes/ and are
 * re-exported from here: this module stays the one entry point.
 */
import { z } from 'zod';
import { ERROR_CODES } from '../providers/api/errors';
import { SettingsSchema, UpdateStateSchema } from './shapes/app';
import {
  ConnectionCheckSchema,
  ConnectionSummarySchema,
  ContextRefSchema,
  DatabaseInfoSchema,
  ExportRequestSchema,
  IntakeResultSchema,
  SavedConnectionSchema,
  SavedIdSchema,
} from './shapes/connections';
import {
  InstalledProviderSchema,
  JobRecordSchema,
  JobSnapshotSchema,
  MAX_MAPPING_CHARS,
  MappingPreviewSchema,
  PickItemSchema,
  PromptAnswerSchema,
  PromptSchema,
  ProviderSummarySchema,
} from './shapes/jobs';

// The shapes the calls and events carry: connections, providers and jobs, the app's settings and updater.
export * from './shapes/app';
export * from './shapes/connections';
export * from './shapes/jobs';

// ---------- the contract ----------

const call = <Req extends z.ZodType, Res extends z.ZodType>(request: Req, response: Res) => ({ request, response });

/** Every request the window can make, with its request and response schemas. */
export const calls = {
  'app.info': call(
    z.object({}),
    z.object({ version: z.string(), platform: z.string(), shell: z.enum(['electron', 'browser']) }),
  ),
  'connections.open': call(
    z.object({ uri: z.string().min(1).max(65_536), name: z.string().max(200).optional() }),
    ConnectionSummarySchema,
  ),
  'connections.list': call(z.object({}), z.array(ConnectionSummarySchema)),
  'connections.close': call(z.object({ connectionId: z.string() }), z.object({})),
  'connections.browse': call(
    z.object({ connectionId: z.string() }),
    z.object({ databases: z.array(DatabaseInfoSchema) }),
  ),
  /** A file's content handed over by the window (drop) : the intake finds connections in it. */
  'intake.content': call(
    z.object({ fileName: z.string().max(4096), text: z.string().max(10_000_000) }),
    IntakeResultSchema,
  ),
  /** A file the window only knows by path (Electron drop, File > Open). */
  'intake.path': call(z.object({ path: z.string().max(4096) }), IntakeResultSchema),
  /** Reads a previewed file again with the passphrase of its encrypted secrets. */
  'intake.unlock': call(
    z.object({ previewId: z.string(), passphrase: z.string().min(1).max(1024) }),
    IntakeResultSchema,
  ),
  /** Saves the chosen entries of a preview; nothing is saved if any of them cannot be. */
  'intake.commit': call(
    z.object({ previewId: z.string(), entryIds: z.array(z.string()).max(10_000) }),
    z.object({ saved: z.array(SavedConnectionSchema) }),
  ),
  'intake.discard': call(z.object({ previewId: z.string() }), z.object({})),
  'connections.saved.list': call(z.object({}), z.array(SavedConnectionSchema)),
  'connections.saved.add': call(
    z.object({
      uri: z.string().min(1).max(65_536),
      name: z.string().max(200).optional(),
      favourite: z.boolean().optional(),
    }),
    SavedConnectionSchema,
  ),
  /** A uri whose secrets are still **** keeps the stored ones. */
  'connections.saved.update': call(
    SavedIdSchema.extend({
      uri: z.string().min(1).max(65_536).optional(),
      name: z.string().max(200).optional(),
      favourite: z.boolean().optional(),
    }),
    SavedConnectionSchema,
  ),
  'connections.saved.duplicate': call(SavedIdSchema, SavedConnectionSchema),
  'connections.saved.delete': call(SavedIdSchema, z.object({})),
  /** Tests a saved connection (id) or a typed one (uri), with a time limit. */
  'connections.saved.test': call(
    z.object({ id: z.string().max(100).optional(), uri: z.string().min(1).max(65_536).optional() }),
    ConnectionCheckSchema,
  ),
  /** Opens a saved connection for this run (records when it was last used). */
  'connections.saved.connect': call(SavedIdSchema, ConnectionSummarySchema),
  /**
   * Writes a .cutover file of these connections where the person chooses in a host-side Save dialog
   * (exporting secrets is confirmed there too). The window learns only the file's name, absent when cancelled.
   */
  'connections.saved.export': call(ExportRequestSchema, z.object({ fileName: z.string().optional() })),
  'providers.list': call(z.object({ context: ContextRefSchema }), z.array(ProviderSummarySchema)),
  'providers.actions': call(
    z.object({ providerId: z.string(), context: ContextRefSchema }),
    z.object({ actions: z.array(PickItemSchema) }),
  ),
  'jobs.start': call(
    z.object({ providerId: z.string(), actionId: z.string().optional(), context: ContextRefSchema }),
    z.object({ jobId: z.string() }),
  ),
  'jobs.cancel': call(z.object({ jobId: z.string() }), z.object({})),
  'jobs.pause': call(z.object({ jobId: z.string() }), z.object({})),
  'jobs.resume': call(z.object({ jobId: z.string() }), z.object({})),
  /** The job's log (every warning and error), newest part if long. */
  'jobs.log': call(
    z.object({ jobId: z.string() }),
    z.object({ path: z.string().optional(), text: z.string(), truncated: z.boolean() }),
  ),
  /** Jobs of this and earlier runs, newest first, from the app's data folder. */
  'history.list': call(z.object({}), z.array(JobRecordSchema)),
  /** Runs a recorded job again with the same parameters: an unfinished copy resumes where it stopped. */
  'history.rerun': call(z.object({ jobId: z.string() }), z.object({ jobId: z.string() })),
  'jobs.list': call(z.object({}), z.array(JobSnapshotSchema)),
  'prompts.answer': call(PromptAnswerSchema, z.object({})),
  /** A live preview for an open mapping prompt: a few real documents built with the window's mapping (checked on the main side). */
  'prompts.preview': call(
    z.object({
      jobId: z.string(),
      promptId: z.string(),
      mapping: z.string().max(MAX_MAPPING_CHARS),
      collection: z.string().max(1_000).optional(),
    }),
    MappingPreviewSchema,
  ),
  'shell.openExternal': call(z.object({ url: z.url({ protocol: /^https?$/ }) }), z.object({})),
  /** The preferences, and why the settings file is not used if it is not. */
  'settings.get': call(z.object({}), z.object({ settings: SettingsSchema, problem: z.string().optional() })),
  'settings.update': call(
    z.object({ updates: SettingsSchema.shape.updates.partial().optional() }),
    z.object({ settings: SettingsSchema }),
  ),
  'update.state': call(z.object({}), UpdateStateSchema),
  /** Checks now (also when automatic checks are off). */
  'update.check': call(z.object({}), UpdateStateSchema),
  /** Downloads the available update (in-place installs) with progress in update.changed. */
  'update.download': call(z.object({}), UpdateStateSchema),
  /**
   * Restarts into the downloaded update through the quit flow: running jobs are stopped cleanly first.
   * Where the host cannot ask itself (the browser harness), jobs-running comes back until the request
   * says to stop them.
   */
  'update.install': call(
    z.object({ stopRunningJobs: z.boolean().optional() }),
    z.object({ outcome: z.enum(['restarting', 'declined', 'jobs-running']), activeJobs: z.number() }),
  ),
  /** Opens the release page (a .deb install downloads the new version there). */
  'update.openReleasePage': call(z.object({}), z.object({})),
  /** The data view: a collection's count, size and indexes, and a page of its documents (canonical Extended JSON), read-only. */
  'data.collection': call(
    z.object({
      connectionId: z.string(),
      databaseName: z.string().min(1),
      collectionName: z.string().min(1),
      skip: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(100).default(20),
    }),
    z.object({
      count: z.number(),
      size: z.number().optional(),
      avgDocSize: z.number().optional(),
      indexes: z.array(z.object({ name: z.string(), keys: z.string(), unique: z.boolean().optional() })),
      documents: z.array(z.string()),
      skip: z.number(),
      limit: z.number(),
    }),
  ),
  /** Installed (third-party) providers, with publisher, version and declared needs. */
  'providers.installed.list': call(z.object({}), z.array(InstalledProviderSchema)),
  /** Installs a provider the person picks in the host's own Open dialog (folder or tarball); {} when cancelled. */
  'providers.installed.browse': call(z.object({}), z.object({ installed: InstalledProviderSchema.optional() })),
  /** Installs a dropped provider tarball (its bytes: the window names no path). */
  'providers.installed.drop': call(
    z.object({ fileName: z.string().min(1).max(255), base64: z.string().max(30_000_000) }),
    InstalledProviderSchema,
  ),
  'providers.installed.setEnabled': call(
    z.object({ id: z.string().min(1).max(100), enabled: z.boolean() }),
    InstalledProviderSchema,
  ),
  'providers.installed.remove': call(z.object({ id: z.string().min(1).max(100) }), z.object({})),
} as const;

/** Every event the main side pushes to the window. */
export const events = {
  'job.updated': JobSnapshotSchema,
  'job.prompt': PromptSchema,
  'job.promptClosed': z.object({ jobId: z.string(), promptId: z.string() }),
  'file.opened': IntakeResultSchema,
  /** The connections of this run changed on the main side (e.g. a History re-run added one). */
  'connections.changed': z.array(ConnectionSummarySchema),
  /** The saved connections changed (added, edited, deleted, imported, used). */
  'connections.savedChanged': z.array(SavedConnectionSchema),
  /** The updater moved on (checking, available, download progress, ready, error). */
  'update.changed': UpdateStateSchema,
} as const;

export type Calls = typeof calls;
export type CallName = keyof Calls;
export type EventName = keyof typeof events;
export type CallRequest<K extends CallName> = z.input<Calls[K]['request']>;
export type CallResponse<K extends CallName> = z.output<Calls[K]['response']>;
export type EventPayload<K extends EventName> = z.output<(typeof events)[K]>;

export const callNames = Object.keys(calls) as CallName[];
export const eventNames = Object.keys(events) as EventName[];

/** The wire envelope of a call's answer: errors travel as data, never as thrown IPC errors. */
export const ErrorCodeSchema = z.enum(ERROR_CODES);
export type ErrorCode = z.infer<typeof ErrorCodeSchema>;
export type CallOutcome<T> = { ok: true; value: T } | { ok: false; error: { code: ErrorCode; message: string } };

/** The IPC channel name used for a call or an event. */
export const channelOf = (name: CallName | EventName): string => `cutover:${name}`;

/**
 * The one IPC contract between the window and the main side.
 *
 * Every request/response call and every event is declared here with a zod schema. The preload,
 * the main-side handlers and the browser harness are all built from this module, and every payload
 * is validated where it arrives. Nothing else crosses.
 */
import { z } from 'zod';
import { ERROR_CODES } from '../providers/api/errors';

// ---------- shared shapes ----------

export const ConnectionKindSchema = z.enum(['mongodb', 'postgres', 'mysql', 'versia', 'file']);

/** A connection as the window sees it: never with credentials. */
export const ConnectionSummarySchema = z.object({
  id: z.string(),
  kind: ConnectionKindSchema,
  name: z.string(),
  redactedUri: z.string(),
  host: z.string(),
  hasCredentials: z.boolean(),
  /** The saved connection this was opened from, if any. */
  savedId: z.string().optional(),
});
export type ConnectionSummary = z.infer<typeof ConnectionSummarySchema>;

export const CollectionInfoSchema = z.object({
  name: z.string(),
  type: z.string(),
  /** Estimated document count (collections only). */
  count: z.number().optional(),
  /** Data size in bytes, when the server says. */
  size: z.number().optional(),
});
export const DatabaseInfoSchema = z.object({
  name: z.string(),
  sizeOnDisk: z.number().optional(),
  collections: z.array(CollectionInfoSchema),
});
export type DatabaseInfo = z.infer<typeof DatabaseInfoSchema>;

/** What the window sends to say "here is where I am": the main side resolves the connection. */
export const ContextRefSchema = z.object({
  connectionId: z.string().optional(),
  databaseName: z.string().min(1).optional(),
  collectionName: z.string().min(1).optional(),
  /**
   * Presets for the provider. The window may not give any (jobs.start refuses them from the window):
   * presets come from the host (the command line, History's record, a checked drop).
   */
  extendedProperties: z.record(z.string(), z.string().optional()).default({}),
  /** jobs.start: import the data file of this drop (an intake result's `dataFile.dropId`), checked on the main side. */
  dropId: z.string().max(100).optional(),
});
export type ContextRef = z.input<typeof ContextRefSchema>;

export const ProviderSummarySchema = z.object({
  id: z.string(),
  label: z.string(),
  description: z.string(),
  icon: z.string().optional(),
  learnMoreUrl: z.string().optional(),
  requiresAuthentication: z.boolean(),
  appliesTo: z.array(ConnectionKindSchema),
  available: z.boolean(),
  unavailableReason: z.string().optional(),
});
export type ProviderSummary = z.infer<typeof ProviderSummarySchema>;

export const PickItemSchema = z.object({
  id: z.string(),
  label: z.string(),
  description: z.string().optional(),
  detail: z.string().optional(),
  requiresAuthentication: z.boolean().optional(),
  disabledReason: z.string().optional(),
});
export type PickItemDto = z.infer<typeof PickItemSchema>;

export const JobStateSchema = z.enum(['running', 'paused', 'succeeded', 'failed', 'cancelled']);
export type JobState = z.infer<typeof JobStateSchema>;

export const ProgressItemSchema = z.object({
  id: z.string(),
  label: z.string(),
  status: z.enum(['pending', 'running', 'done', 'failed', 'skipped']),
  detail: z.string().optional(),
  docs: z.number().optional(),
  totalDocs: z.number().optional(),
  bytes: z.number().optional(),
  totalBytes: z.number().optional(),
});

export const JobSnapshotSchema = z.object({
  jobId: z.string(),
  providerId: z.string(),
  providerLabel: z.string(),
  actionId: z.string().optional(),
  title: z.string(),
  state: JobStateSchema,
  phases: z.array(z.string()),
  phase: z.string().optional(),
  docs: z.number(),
  totalDocs: z.number().optional(),
  bytes: z.number(),
  totalBytes: z.number().optional(),
  docsPerSecond: z.number(),
  bytesPerSecond: z.number(),
  etaSeconds: z.number().optional(),
  items: z.array(ProgressItemSchema),
  warnings: z.array(z.string()),
  errors: z.array(z.string()),
  /** How many warnings/errors were dropped from the in-memory lists (all are in the job log). */
  droppedMessages: z.number(),
  startedAt: z.number(),
  endedAt: z.number().optional(),
  summary: z.string().optional(),
  stats: z.array(z.object({ label: z.string(), value: z.string() })).optional(),
  /** Longer result sections, e.g. verification findings (mismatched or missing _ids). */
  details: z.array(z.object({ title: z.string(), items: z.array(z.string()) })).optional(),
  /** The job can be run again from History with the same parameters (resuming where it stopped). */
  canRerun: z.boolean().optional(),
  /** Succeeded, but the answer needs attention (e.g. "Not ready"): shown instead of "Succeeded". */
  attention: z.string().optional(),
  /** Succeeded: the result's heading as the provider names it ("Copy finished"); else "Migration finished". */
  heading: z.string().optional(),
  /** A question the host asks itself, outside the window (a file chooser, replace a file?), and where. */
  waitingFor: z.string().optional(),
  /** Still a plan: the provider asks its questions, nothing has begun (no History entry, no Pause). */
  planning: z.boolean().optional(),
  /** Milliseconds spent waiting for answers after the work began: durations count the work, not these. */
  waitedMs: z.number().optional(),
  /** Why the work is held up (e.g. "Target unreachable — retrying (3 of 8)"): the rate is 0, no ETA. */
  stalled: z.string().optional(),
  /** Where the data went: source → target (or a file, with its format). */
  route: z.object({ from: z.string(), to: z.string().optional(), format: z.string().optional() }).optional(),
});
export type JobSnapshot = z.infer<typeof JobSnapshotSchema>;

const FormFieldSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text'), id: z.string(), label: z.string(), value: z.string().optional(), placeholder: z.string().optional(), required: z.boolean().optional(), secret: z.boolean().optional(), help: z.string().optional() }),
  z.object({ type: z.literal('number'), id: z.string(), label: z.string(), value: z.number().optional(), min: z.number().optional(), max: z.number().optional(), required: z.boolean().optional(), help: z.string().optional() }),
  z.object({ type: z.literal('checkbox'), id: z.string(), label: z.string(), value: z.boolean().optional(), help: z.string().optional() }),
  z.object({ type: z.literal('select'), id: z.string(), label: z.string(), value: z.string().optional(), options: z.array(z.object({ value: z.string(), label: z.string() })), help: z.string().optional() }),
]);

/** A relational source for the mapping screen: tables, columns, foreign keys (no rows, no secrets). */
export const MappingSourceSchema = z.object({
  dialect: z.string(),
  tables: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      primaryKey: z.array(z.string()),
      rows: z.number().optional(),
      columns: z.array(z.object({ name: z.string(), sqlType: z.string(), type: z.string(), nullable: z.boolean() })),
      foreignKeys: z.array(z.object({ id: z.string(), name: z.string(), columns: z.array(z.string()), refTable: z.string(), refColumns: z.array(z.string()) })),
    }),
  ),
  types: z.array(z.string()),
  cycles: z.array(z.string()),
});
export type MappingSourceDto = z.infer<typeof MappingSourceSchema>;
/** The largest mapping document the window may send (a mapping of thousands of tables stays far below). */
export const MAX_MAPPING_CHARS = 1_000_000;
export const MappingPreviewSchema = z.object({ collection: z.string().optional(), collections: z.array(z.string()), documents: z.array(z.string()), errors: z.array(z.string()) });
export type MappingPreviewDto = z.infer<typeof MappingPreviewSchema>;

const PromptBase = { jobId: z.string(), promptId: z.string(), title: z.string() };
export const PromptSchema = z.discriminatedUnion('kind', [
  z.object({ ...PromptBase, kind: z.literal('pick'), placeholder: z.string().optional(), items: z.array(PickItemSchema) }),
  z.object({
    ...PromptBase,
    kind: z.literal('input'),
    prompt: z.string().optional(),
    value: z.string().optional(),
    placeholder: z.string().optional(),
    password: z.boolean().optional(),
    error: z.string().optional(),
    /** Saved and open connections to pick from (never with credentials): the answer is CONNECTION_CHOICE + ref. */
    choices: z.array(z.object({ ref: z.string(), label: z.string(), detail: z.string(), group: z.enum(['open', 'saved']) })).optional(),
  }),
  z.object({ ...PromptBase, kind: z.literal('confirm'), message: z.string(), detail: z.string().optional(), confirmLabel: z.string().optional(), destructive: z.boolean().optional() }),
  z.object({ ...PromptBase, kind: z.literal('form'), description: z.string().optional(), fields: z.array(FormFieldSchema), submitLabel: z.string().optional(), error: z.string().optional() }),
  z.object({ ...PromptBase, kind: z.literal('message'), level: z.enum(['info', 'warning', 'error']), message: z.string(), detail: z.string().optional() }),
  /** The mapping screen: the answer is the edited mapping document (JSON text); previews go through prompts.preview. */
  z.object({ ...PromptBase, kind: z.literal('mapping'), description: z.string().optional(), source: MappingSourceSchema, mapping: z.string(), submitLabel: z.string().optional(), error: z.string().optional() }),
  /** A table to review before going on (e.g. a pre-flight report); the answer is the id of the chosen action. */
  z.object({
    ...PromptBase,
    kind: z.literal('report'),
    message: z.string().optional(),
    columns: z.array(z.object({ id: z.string(), label: z.string(), align: z.enum(['left', 'right']).optional() })),
    rows: z.array(z.record(z.string(), z.string())),
    notes: z.array(z.object({ level: z.enum(['info', 'warning', 'error']), text: z.string() })),
    actions: z.array(z.object({ id: z.string(), label: z.string(), primary: z.boolean().optional() })),
  }),
]);
export type Prompt = z.infer<typeof PromptSchema>;
/** An input prompt's answer that picks one of its `choices`: this prefix, then the choice's ref. */
export const CONNECTION_CHOICE = 'cutover-connection:';
export type FormFieldDto = z.infer<typeof FormFieldSchema>;

export const PromptAnswerSchema = z.object({
  jobId: z.string(),
  promptId: z.string(),
  /** Absent or undefined means dismissed. pick: item id; input: string; confirm: boolean; form: values. */
  value: z.union([z.string(), z.boolean(), z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]))]).optional(),
});

export const JobRecordSchema = JobSnapshotSchema.pick({
  jobId: true,
  providerId: true,
  providerLabel: true,
  actionId: true,
  title: true,
  state: true,
  docs: true,
  bytes: true,
  startedAt: true,
  endedAt: true,
  summary: true,
  stats: true,
  details: true,
  canRerun: true,
  attention: true,
  heading: true,
  waitedMs: true,
  route: true,
}).extend({
  logFile: z.string().optional(),
  /** Left running or paused by a Cutover process that has ended (killed, crashed): resumable with Run again. */
  interrupted: z.boolean().optional(),
});
export type JobRecord = z.infer<typeof JobRecordSchema>;

/** A saved connection as the window sees it: never with credentials. */
export const SavedConnectionSchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: ConnectionKindSchema,
  host: z.string(),
  redactedUri: z.string(),
  hasCredentials: z.boolean(),
  favourite: z.boolean(),
  createdAt: z.number(),
  lastUsed: z.number().optional(),
});
export type SavedConnection = z.infer<typeof SavedConnectionSchema>;

/** One connection found in a file, before it is imported. */
export const IntakeEntrySchema = z.object({
  entryId: z.string(),
  /** Where in the file: "line 3", "entry 2". */
  where: z.string(),
  name: z.string(),
  kind: ConnectionKindSchema.optional(),
  host: z.string().optional(),
  redactedUri: z.string().optional(),
  /** A saved connection with the same kind, host, port, user and database. */
  duplicateOf: z.object({ id: z.string(), name: z.string() }).optional(),
  /** Why this entry cannot be imported. */
  error: z.string().optional(),
});
export type IntakeEntry = z.infer<typeof IntakeEntrySchema>;

/** What the intake found in a file: a preview to choose from (nothing is saved until intake.commit). */
export const IntakePreviewSchema = z.object({
  previewId: z.string(),
  format: z.enum(['cutover', 'compass', 'text', 'env']),
  entries: z.array(IntakeEntrySchema),
  /** Encrypted secrets: intake.unlock with the passphrase before importing. */
  needsPassphrase: z.boolean(),
});
export type IntakePreview = z.infer<typeof IntakePreviewSchema>;

export const IntakeResultSchema = z.object({
  fileName: z.string(),
  /** Connections opened for this run (none: files are previewed, then imported with intake.commit). */
  connections: z.array(ConnectionSummarySchema),
  errors: z.array(z.string()),
  /** connection-file, data-file (for the data providers) or unknown. */
  category: z.enum(['connection-file', 'data-file', 'unknown']).optional(),
  preview: IntakePreviewSchema.optional(),
  /**
   * A data file the files provider can import: start its import with `context.dropId`. The path stays on
   * the main side, which checked it is a regular file of a kind Cutover reads, for reading only.
   */
  dataFile: z.object({ dropId: z.string(), format: z.string() }).optional(),
});
export type IntakeResult = z.infer<typeof IntakeResultSchema>;

export const ConnectionCheckSchema = z.object({
  ok: z.boolean(),
  failure: z.enum(['dns', 'refused', 'tls', 'auth', 'timeout', 'other']).optional(),
  message: z.string(),
  elapsedMs: z.number(),
});
export type ConnectionCheckResult = z.infer<typeof ConnectionCheckSchema>;

const SavedIdSchema = z.object({ id: z.string().min(1).max(100) });
const ExportRequestSchema = z.object({
  ids: z.array(z.string().max(100)).min(1).max(10_000),
  /** Encrypts the secrets with this passphrase; without it, secrets are removed. */
  passphrase: z.string().min(8).max(1024).optional(),
});

/** The person's preferences (Settings screen), kept by the core in the data folder. */
export const SettingsSchema = z.object({
  updates: z.object({
    /** Check at start and every 4 hours. */
    automatic: z.boolean(),
    /** stable: latest-<os>.yml; beta: beta-<os>.yml. */
    channel: z.enum(['stable', 'beta']),
  }),
});
export type Settings = z.infer<typeof SettingsSchema>;

/** Where the updater is: what the update notice and the Settings screen show. */
export const UpdateStateSchema = z.discriminatedUnion('state', [
  z.object({ state: z.literal('idle'), lastCheckedAt: z.number().optional(), upToDate: z.boolean().optional() }),
  z.object({ state: z.literal('checking') }),
  z.object({
    state: z.literal('available'),
    version: z.string(),
    releaseNotes: z.string().optional(),
    releaseDate: z.string().optional(),
    /** in-place: downloaded and installed by Cutover; download: a .deb install, the person downloads it (release page). */
    install: z.enum(['in-place', 'download']),
  }),
  z.object({ state: z.literal('downloading'), version: z.string(), releaseNotes: z.string().optional(), percent: z.number(), transferred: z.number(), total: z.number() }),
  z.object({ state: z.literal('ready'), version: z.string(), releaseNotes: z.string().optional(), restarting: z.boolean().optional() }),
  z.object({ state: z.literal('error'), message: z.string() }),
  z.object({ state: z.literal('disabled'), reason: z.string() }),
]);
export type UpdateState = z.infer<typeof UpdateStateSchema>;

// ---------- the contract ----------

const call = <Req extends z.ZodType, Res extends z.ZodType>(request: Req, response: Res) => ({ request, response });

/** Every request the window can make, with its request and response schemas. */
/** An installed third-party provider as the Providers screen shows it. */
export const InstalledProviderSchema = z.object({
  id: z.string(),
  label: z.string(),
  description: z.string(),
  publisher: z.string(),
  version: z.string(),
  apiVersion: z.string(),
  shape: z.enum(['cutover', 'documentdb-v0.3']),
  connectionKinds: z.array(z.string()),
  /** The declared needs, in sentences. */
  needs: z.array(z.string()),
  needsCredentials: z.boolean(),
  enabled: z.boolean(),
  /** The person allowed it to run. */
  allowed: z.boolean(),
  sha256: z.string(),
  /** Why the administrator's policy refuses it, if it does. */
  blockedReason: z.string().optional(),
});
export type InstalledProviderSummary = z.infer<typeof InstalledProviderSchema>;

export const calls = {
  'app.info': call(z.object({}), z.object({ version: z.string(), platform: z.string(), shell: z.enum(['electron', 'browser']) })),
  'connections.open': call(z.object({ uri: z.string().min(1).max(65_536), name: z.string().max(200).optional() }), ConnectionSummarySchema),
  'connections.list': call(z.object({}), z.array(ConnectionSummarySchema)),
  'connections.close': call(z.object({ connectionId: z.string() }), z.object({})),
  'connections.browse': call(z.object({ connectionId: z.string() }), z.object({ databases: z.array(DatabaseInfoSchema) })),
  /** A file's content handed over by the window (drop) : the intake finds connections in it. */
  'intake.content': call(z.object({ fileName: z.string().max(4096), text: z.string().max(10_000_000) }), IntakeResultSchema),
  /** A file the window only knows by path (Electron drop, File > Open). */
  'intake.path': call(z.object({ path: z.string().max(4096) }), IntakeResultSchema),
  /** Reads a previewed file again with the passphrase of its encrypted secrets. */
  'intake.unlock': call(z.object({ previewId: z.string(), passphrase: z.string().min(1).max(1024) }), IntakeResultSchema),
  /** Saves the chosen entries of a preview; nothing is saved if any of them cannot be. */
  'intake.commit': call(z.object({ previewId: z.string(), entryIds: z.array(z.string()).max(10_000) }), z.object({ saved: z.array(SavedConnectionSchema) })),
  'intake.discard': call(z.object({ previewId: z.string() }), z.object({})),
  'connections.saved.list': call(z.object({}), z.array(SavedConnectionSchema)),
  'connections.saved.add': call(z.object({ uri: z.string().min(1).max(65_536), name: z.string().max(200).optional(), favourite: z.boolean().optional() }), SavedConnectionSchema),
  /** A uri whose secrets are still **** keeps the stored ones. */
  'connections.saved.update': call(SavedIdSchema.extend({ uri: z.string().min(1).max(65_536).optional(), name: z.string().max(200).optional(), favourite: z.boolean().optional() }), SavedConnectionSchema),
  'connections.saved.duplicate': call(SavedIdSchema, SavedConnectionSchema),
  'connections.saved.delete': call(SavedIdSchema, z.object({})),
  /** Tests a saved connection (id) or a typed one (uri), with a time limit. */
  'connections.saved.test': call(z.object({ id: z.string().max(100).optional(), uri: z.string().min(1).max(65_536).optional() }), ConnectionCheckSchema),
  /** Opens a saved connection for this run (records when it was last used). */
  'connections.saved.connect': call(SavedIdSchema, ConnectionSummarySchema),
  /**
   * Writes a .cutover file of these connections where the person chooses in a host-side Save dialog
   * (exporting secrets is confirmed there too). The window learns only the file's name, absent when cancelled.
   */
  'connections.saved.export': call(ExportRequestSchema, z.object({ fileName: z.string().optional() })),
  'providers.list': call(z.object({ context: ContextRefSchema }), z.array(ProviderSummarySchema)),
  'providers.actions': call(z.object({ providerId: z.string(), context: ContextRefSchema }), z.object({ actions: z.array(PickItemSchema) })),
  'jobs.start': call(z.object({ providerId: z.string(), actionId: z.string().optional(), context: ContextRefSchema }), z.object({ jobId: z.string() })),
  'jobs.cancel': call(z.object({ jobId: z.string() }), z.object({})),
  'jobs.pause': call(z.object({ jobId: z.string() }), z.object({})),
  'jobs.resume': call(z.object({ jobId: z.string() }), z.object({})),
  /** The job's log (every warning and error), newest part if long. */
  'jobs.log': call(z.object({ jobId: z.string() }), z.object({ path: z.string().optional(), text: z.string(), truncated: z.boolean() })),
  /** Jobs of this and earlier runs, newest first, from the app's data folder. */
  'history.list': call(z.object({}), z.array(JobRecordSchema)),
  /** Runs a recorded job again with the same parameters: an unfinished copy resumes where it stopped. */
  'history.rerun': call(z.object({ jobId: z.string() }), z.object({ jobId: z.string() })),
  'jobs.list': call(z.object({}), z.array(JobSnapshotSchema)),
  'prompts.answer': call(PromptAnswerSchema, z.object({})),
  /** A live preview for an open mapping prompt: a few real documents built with the window's mapping (checked on the main side). */
  'prompts.preview': call(
    z.object({ jobId: z.string(), promptId: z.string(), mapping: z.string().max(MAX_MAPPING_CHARS), collection: z.string().max(1_000).optional() }),
    MappingPreviewSchema,
  ),
  'shell.openExternal': call(z.object({ url: z.url({ protocol: /^https?$/ }) }), z.object({})),
  /** The preferences, and why the settings file is not used if it is not. */
  'settings.get': call(z.object({}), z.object({ settings: SettingsSchema, problem: z.string().optional() })),
  'settings.update': call(z.object({ updates: SettingsSchema.shape.updates.partial().optional() }), z.object({ settings: SettingsSchema })),
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
  'update.install': call(z.object({ stopRunningJobs: z.boolean().optional() }), z.object({ outcome: z.enum(['restarting', 'declined', 'jobs-running']), activeJobs: z.number() })),
  /** Opens the release page (a .deb install downloads the new version there). */
  'update.openReleasePage': call(z.object({}), z.object({})),
  /** The data view: a collection's count, size and indexes, and a page of its documents (canonical Extended JSON), read-only. */
  'data.collection': call(
    z.object({ connectionId: z.string(), databaseName: z.string().min(1), collectionName: z.string().min(1), skip: z.number().int().min(0).default(0), limit: z.number().int().min(1).max(100).default(20) }),
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
  'providers.installed.drop': call(z.object({ fileName: z.string().min(1).max(255), base64: z.string().max(30_000_000) }), InstalledProviderSchema),
  'providers.installed.setEnabled': call(z.object({ id: z.string().min(1).max(100), enabled: z.boolean() }), InstalledProviderSchema),
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

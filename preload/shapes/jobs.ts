/**
 * The contract's shapes for providers and jobs (preload/contract.ts re-exports them): the providers and
 * their actions, a job's snapshot and History record, the prompts a job asks (with the mapping screen's
 * source and previews) and their answers, and installed third-party providers.
 */
import { z } from 'zod';
import { ConnectionKindSchema } from './connections';

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
  z.object({
    type: z.literal('text'),
    id: z.string(),
    label: z.string(),
    value: z.string().optional(),
    placeholder: z.string().optional(),
    required: z.boolean().optional(),
    secret: z.boolean().optional(),
    help: z.string().optional(),
  }),
  z.object({
    type: z.literal('number'),
    id: z.string(),
    label: z.string(),
    value: z.number().optional(),
    min: z.number().optional(),
    max: z.number().optional(),
    required: z.boolean().optional(),
    help: z.string().optional(),
  }),
  z.object({
    type: z.literal('checkbox'),
    id: z.string(),
    label: z.string(),
    value: z.boolean().optional(),
    help: z.string().optional(),
  }),
  z.object({
    type: z.literal('select'),
    id: z.string(),
    label: z.string(),
    value: z.string().optional(),
    options: z.array(z.object({ value: z.string(), label: z.string() })),
    help: z.string().optional(),
  }),
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
      foreignKeys: z.array(
        z.object({
          id: z.string(),
          name: z.string(),
          columns: z.array(z.string()),
          refTable: z.string(),
          refColumns: z.array(z.string()),
        }),
      ),
    }),
  ),
  types: z.array(z.string()),
  cycles: z.array(z.string()),
});
export type MappingSourceDto = z.infer<typeof MappingSourceSchema>;
/** The largest mapping document the window may send (a mapping of thousands of tables stays far below). */
export const MAX_MAPPING_CHARS = 1_000_000;
export const MappingPreviewSchema = z.object({
  collection: z.string().optional(),
  collections: z.array(z.string()),
  documents: z.array(z.string()),
  errors: z.array(z.string()),
});
export type MappingPreviewDto = z.infer<typeof MappingPreviewSchema>;

const PromptBase = { jobId: z.string(), promptId: z.string(), title: z.string() };
export const PromptSchema = z.discriminatedUnion('kind', [
  z.object({
    ...PromptBase,
    kind: z.literal('pick'),
    placeholder: z.string().optional(),
    items: z.array(PickItemSchema),
  }),
  z.object({
    ...PromptBase,
    kind: z.literal('input'),
    prompt: z.string().optional(),
    value: z.string().optional(),
    placeholder: z.string().optional(),
    password: z.boolean().optional(),
    error: z.string().optional(),
    /** Saved and open connections to pick from (never with credentials): the answer is CONNECTION_CHOICE + ref. */
    choices: z
      .array(z.object({ ref: z.string(), label: z.string(), detail: z.string(), group: z.enum(['open', 'saved']) }))
      .optional(),
  }),
  z.object({
    ...PromptBase,
    kind: z.literal('confirm'),
    message: z.string(),
    detail: z.string().optional(),
    confirmLabel: z.string().optional(),
    destructive: z.boolean().optional(),
  }),
  z.object({
    ...PromptBase,
    kind: z.literal('form'),
    description: z.string().optional(),
    fields: z.array(FormFieldSchema),
    submitLabel: z.string().optional(),
    error: z.string().optional(),
  }),
  z.object({
    ...PromptBase,
    kind: z.literal('message'),
    level: z.enum(['info', 'warning', 'error']),
    message: z.string(),
    detail: z.string().optional(),
  }),
  /** The mapping screen: the answer is the edited mapping document (JSON text); previews go through prompts.preview. */
  z.object({
    ...PromptBase,
    kind: z.literal('mapping'),
    description: z.string().optional(),
    source: MappingSourceSchema,
    mapping: z.string(),
    submitLabel: z.string().optional(),
    error: z.string().optional(),
  }),
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
  value: z
    .union([z.string(), z.boolean(), z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]))])
    .optional(),
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

/**
 * The message channel between the host and an isolated provider process, validated with zod on arrival
 * at both ends (as the window's IPC is). The provider process can only ask for what the provider ports
 * offer: UI prompts, progress, remember, log; and answer the host's load / actions / execute requests.
 */
import { z } from 'zod';

const text = (max = 4000) => z.string().max(max);
const Json = z.unknown();

export const PickItemSchema = z.object({
  id: text(500),
  label: text(1000),
  description: text().optional(),
  detail: text().optional(),
  requiresAuthentication: z.boolean().optional(),
  disabledReason: text().optional(),
});

export const ContextSchema = z.object({
  connection: z
    .object({ id: text(200), kind: text(50), name: text(1000), uri: text(20_000), redactedUri: text(20_000) })
    .optional(),
  databaseName: text(1000).optional(),
  collectionName: text(1000).optional(),
  authenticated: z.boolean(),
  extendedProperties: z.record(z.string(), z.string().max(100_000).optional()),
});

export const ProviderInfoSchema = z.object({
  id: text(100),
  label: text(200),
  description: text(),
  learnMoreUrl: text(2000).optional(),
  requiresAuthentication: z.boolean().optional(),
});

const ResultSchema = z.object({
  outcome: z.enum(['succeeded', 'cancelled', 'failed']),
  summary: text(10_000),
  stats: z
    .array(z.object({ label: text(200), value: text(1000) }))
    .max(200)
    .optional(),
  details: z
    .array(z.object({ title: text(500), items: z.array(text(2000)).max(1000) }))
    .max(50)
    .optional(),
  attention: text(200).optional(),
  heading: text(200).optional(),
});

const CountsSchema = z.object({
  docs: z.number().optional(),
  totalDocs: z.number().optional(),
  bytes: z.number().optional(),
  totalBytes: z.number().optional(),
});
const ItemSchema = CountsSchema.extend({
  id: text(500),
  label: text(1000),
  status: z.enum(['pending', 'running', 'done', 'failed', 'skipped']),
  detail: text().optional(),
});

/** Host → provider process. */
export const ToChildSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('load'),
    entry: text(5000),
    shape: z.enum(['cutover', 'documentdb-v0.3']),
    id: text(100),
    appliesTo: z.array(text(50)),
  }),
  z.object({ type: z.literal('actions'), context: ContextSchema }),
  z.object({ type: z.literal('execute'), context: ContextSchema, actionId: text(500).optional(), dataDir: text(5000) }),
  z.object({ type: z.literal('uiAnswer'), requestId: z.number().int(), value: Json }),
  z.object({ type: z.literal('cancel') }),
  z.object({ type: z.literal('pause'), paused: z.boolean() }),
]);
export type ToChild = z.output<typeof ToChildSchema>;

export const UiMethodSchema = z.enum([
  'pick',
  'input',
  'confirm',
  'form',
  'showMessage',
  'report',
  'openExternal',
  'chooseFile',
  'confirmReplace',
]);

/** chooseFile's options as they cross (the `replaces` function stays behind: the chosen path is what is replaced). */
export const ChooseFileArgsSchema = z.object({
  mode: z.enum(['open', 'save']),
  title: text(500),
  pick: z.enum(['file', 'folder', 'file-or-folder']).optional(),
  filters: z
    .array(z.object({ name: text(200), extensions: z.array(text(50)).max(50) }))
    .max(20)
    .optional(),
  defaultName: text(500).optional(),
});

/** Provider process → host. */
export const FromChildSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('heartbeat') }),
  z.object({ type: z.literal('loaded'), info: ProviderInfoSchema }),
  z.object({ type: z.literal('actions'), actions: z.array(PickItemSchema).max(500) }),
  z.object({ type: z.literal('ui'), requestId: z.number().int(), method: UiMethodSchema, args: z.array(Json).max(3) }),
  z.object({
    type: z.literal('progress'),
    phases: z.array(text(200)).max(50).optional(),
    phase: text(200).optional(),
    counts: CountsSchema.optional(),
    items: z.array(ItemSchema).max(1000).optional(),
    warnings: z.array(text()).max(100).optional(),
    errors: z.array(text()).max(100).optional(),
  }),
  z.object({ type: z.literal('remember'), parameters: z.record(z.string(), z.string().max(100_000)) }),
  /** The job lifecycle: the work begins, where the data goes, or why it is held up (null: no longer). */
  z.object({
    type: z.literal('lifecycle'),
    begin: z.boolean().optional(),
    route: z.object({ from: text(500).optional(), to: text(500), format: text(100).optional() }).optional(),
    stalled: text(500).nullable().optional(),
  }),
  z.object({ type: z.literal('log'), level: z.enum(['info', 'warning', 'error']), message: text() }),
  z.object({ type: z.literal('done'), result: ResultSchema }),
  z.object({ type: z.literal('failed'), message: text(10_000), cancelled: z.boolean().optional() }),
]);
export type FromChild = z.output<typeof FromChildSchema>;

/**
 * The contract's shapes for connections (preload/contract.ts re-exports them): a connection, a database
 * and its collections as the window sees them (never with credentials), where the window is, saved
 * connections, connection files read in (intake) and the connection check.
 */
import { z } from 'zod';

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

export const SavedIdSchema = z.object({ id: z.string().min(1).max(100) });
export const ExportRequestSchema = z.object({
  ids: z.array(z.string().max(100)).min(1).max(10_000),
  /** Encrypts the secrets with this passphrase; without it, secrets are removed. */
  passphrase: z.string().min(8).max(1024).optional(),
});

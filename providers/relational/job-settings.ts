/**
 * A relational job's settings: read from the presets (`context.extendedProperties`), remembered for History
 * re-runs, and hashed into the job key that lets the same migration resume; connection strings shown redacted.
 */
import { createHash } from 'node:crypto';
import { presetChoice, presetPositiveInt } from '../shared/presets';
import type { RelationalConflict, RelationalVerify } from './engine';
import { parseMapping, type MappingDocument } from './mapping';
import { CONFLICTS } from './options-form';
import type { Dialect } from './schema';
import { mysqlDatabase, type SnapshotMode } from './source';

export interface RelationalSettings {
  targetUri: string;
  targetDb: string;
  mapping?: MappingDocument;
  schemas?: string[];
  snapshot: SnapshotMode;
  conflict: RelationalConflict;
  verify: RelationalVerify;
  sampleSize: number;
  batchDocs?: number;
  fetchRows?: number;
}

export function redact(uri: string): string {
  try {
    const url = new URL(uri);
    if (url.password) url.password = '****';
    return url.toString();
  } catch {
    return '(a connection string)';
  }
}

export function hostOf(uri: string): string {
  try {
    return new URL(uri).host;
  } catch {
    return '';
  }
}

export function settingsFrom(
  presets: Record<string, string | undefined>,
  targetUri: string,
  dialect: Dialect,
  sourceUri: string,
): RelationalSettings {
  const pick = presetChoice;
  const int = presetPositiveInt;
  let uriDb: string | undefined;
  try {
    uriDb = decodeURIComponent(new URL(targetUri).pathname.replace(/^\//, '')) || undefined;
  } catch {
    uriDb = undefined;
  }
  const sourceDb =
    dialect === 'mysql'
      ? mysqlDatabase(sourceUri)
      : decodeURIComponent(new URL(sourceUri).pathname.replace(/^\//, '')) || 'postgres';
  return {
    targetUri,
    targetDb: presets.targetDb || uriDb || sourceDb,
    mapping: presets.mapping ? parseMapping(presets.mapping, presets.mappingSource) : undefined,
    schemas: presets.schemas
      ? presets.schemas
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : undefined,
    snapshot: pick(presets.snapshot, ['parallel', 'single'] as const, 'parallel', 'snapshot mode'),
    conflict: pick(presets.conflict, CONFLICTS, 'abort', 'conflict policy'),
    verify: pick(presets.verify, ['sample', 'none'] as const, 'sample', 'verification'),
    sampleSize: int(presets.sampleSize, 'sampleSize') ?? 1_000,
    batchDocs: int(presets.batchDocs, 'batchDocs'),
    fetchRows: int(presets.fetchRows, 'fetchRows'),
  };
}

export function rememberable(settings: RelationalSettings): Record<string, string> {
  const out: Record<string, string> = {
    targetUri: settings.targetUri,
    targetDb: settings.targetDb,
    snapshot: settings.snapshot,
    conflict: settings.conflict,
    verify: settings.verify,
    sampleSize: String(settings.sampleSize),
  };
  if (settings.mapping) out.mapping = JSON.stringify(settings.mapping);
  if (settings.schemas) out.schemas = settings.schemas.join(',');
  if (settings.batchDocs) out.batchDocs = String(settings.batchDocs);
  if (settings.fetchRows) out.fetchRows = String(settings.fetchRows);
  return out;
}

/** The same migration (source, target, mapping) always gets the same key, so running it again resumes it. */
export function jobKey(sourceUri: string, settings: RelationalSettings, mapping: MappingDocument): string {
  return createHash('sha256')
    .update(
      JSON.stringify({
        source: redact(sourceUri),
        schemas: settings.schemas,
        target: `${hostOf(settings.targetUri)}/${settings.targetDb}`,
        mapping,
        conflict: settings.conflict,
      }),
    )
    .digest('hex')
    .slice(0, 32);
}

/**
 * The copy's settings: taken from presets given up front (`context.extendedProperties`: the command line,
 * History re-runs, the last choices between two servers) with their defaults, and turned back into the
 * parameters a re-run needs. Presets are checked (an unknown policy or a bad number is named).
 */
import { presetChoice, presetPositiveInt } from '../shared/presets';
import {
  CONFLICT_POLICIES,
  LOAD_LEVELS,
  VERIFY_MODES,
  type ConflictPolicy,
  type IndexTiming,
  type LoadLevel,
  type VerifyMode,
} from './plan';

/** Everything the person decides about a copy. */
export interface CopySettings {
  targetUri: string;
  targetDb?: string;
  targetColl?: string;
  conflict: ConflictPolicy;
  include: string[];
  exclude: string[];
  renames: string[];
  load: LoadLevel;
  indexes: IndexTiming;
  verify: VerifyMode;
  sampleSize: number;
  batchDocs?: number;
  partitionDocs?: number;
}

/** What is copied: a database (and a collection in it), or the whole server. */
export interface CopyScope {
  db?: string;
  coll?: string;
}

export function settingsFrom(
  presets: Record<string, string | undefined>,
  targetUri: string,
  scope: CopyScope,
  uriDb?: string,
): CopySettings {
  const list = (value?: string) =>
    (value ?? '')
      .split(/[\n,]/)
      .map((s) => s.trim())
      .filter(Boolean);
  const pick = presetChoice;
  const int = presetPositiveInt;
  return {
    targetUri,
    targetDb: presets.targetDb || (scope.db ? (uriDb ?? scope.db) : undefined),
    targetColl: presets.targetColl || scope.coll,
    conflict: pick(presets.conflict, CONFLICT_POLICIES, 'abort', 'conflict policy'),
    include: list(presets.include),
    exclude: list(presets.exclude),
    renames: list(presets.rename),
    load: pick(presets.load, LOAD_LEVELS, 'normal', 'load level'),
    indexes: pick(presets.indexes, ['after', 'before'] as const, 'after', 'index timing'),
    verify: pick(presets.verify, VERIFY_MODES, 'sample', 'verification'),
    sampleSize: int(presets.sampleSize, 'sampleSize') ?? 1_000,
    batchDocs: int(presets.batchDocs, 'batchDocs'),
    partitionDocs: int(presets.partitionDocs, 'partitionDocs'),
  };
}

/** The parameters a re-run needs: the settings as presets. */
export function rememberable(settings: CopySettings): Record<string, string> {
  const out: Record<string, string> = {
    targetUri: settings.targetUri,
    conflict: settings.conflict,
    load: settings.load,
    indexes: settings.indexes,
    verify: settings.verify,
    sampleSize: String(settings.sampleSize),
  };
  if (settings.targetDb) out.targetDb = settings.targetDb;
  if (settings.targetColl) out.targetColl = settings.targetColl;
  if (settings.include.length) out.include = settings.include.join(',');
  if (settings.exclude.length) out.exclude = settings.exclude.join(',');
  if (settings.renames.length) out.rename = settings.renames.join(',');
  if (settings.batchDocs) out.batchDocs = String(settings.batchDocs);
  if (settings.partitionDocs) out.partitionDocs = String(settings.partitionDocs);
  return out;
}

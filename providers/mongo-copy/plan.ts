/**
 * What a copy job is: the shared vocabulary of the provider (main side), the engine (worker) and the CLI.
 */
import type { CountCheckResult } from '../shared/count-check';

export type ConflictPolicy = 'abort' | 'drop' | 'skip' | 'overwrite';
export type LoadLevel = 'low' | 'normal' | 'high';
export type VerifyMode = 'none' | 'sample' | 'full';
export type IndexTiming = 'after' | 'before';

export const CONFLICT_POLICIES: ConflictPolicy[] = ['abort', 'drop', 'skip', 'overwrite'];
export const LOAD_LEVELS: LoadLevel[] = ['low', 'normal', 'high'];
export const VERIFY_MODES: VerifyMode[] = ['none', 'sample', 'full'];

/** Concurrent partition streams per load level. */
export const STREAMS: Record<LoadLevel, number> = { low: 2, normal: 4, high: 8 };

export interface NamespaceSpec {
  sourceDb: string;
  sourceColl: string;
  targetDb: string;
  targetColl: string;
  kind: 'collection' | 'view';
}

export interface CopyRequest {
  /** Identifies this job on the target, where its checkpoints live: the same job run again resumes. */
  jobKey: string;
  sourceUri: string;
  targetUri: string;
  namespaces: NamespaceSpec[];
  conflict: ConflictPolicy;
  load: LoadLevel;
  indexes: IndexTiming;
  verify: VerifyMode;
  /** Documents checked per namespace by a sample verification. */
  sampleSize?: number;
  batchDocs?: number;
  batchBytes?: number;
  /** Collections with more documents than this are split into _id ranges copied in parallel. */
  partitionDocs?: number;
  timeoutMs?: number;
}

export type NamespaceStatus = 'pending' | 'running' | 'done' | 'failed' | 'skipped';

export interface NamespaceResult {
  key: string;
  docs: number;
  bytes: number;
  /** Documents left alone because the target already had their _id (policy "skip"). */
  skipped: number;
  status: NamespaceStatus;
  kind: 'collection' | 'view';
  partitions: number;
}

export interface NamespaceVerification {
  key: string;
  sourceCount: number;
  targetCount: number;
  checked: number;
  missing: number;
  mismatched: number;
  /** The first missing / different _ids, as extended JSON. */
  missingIds: string[];
  mismatchedIds: string[];
  indexDifferences: string[];
  optionDifferences: string[];
}

export interface CopyOutcome {
  cancelled: boolean;
  resumed: boolean;
  namespaces: NamespaceResult[];
  /** The count check of every collection copied (it runs whatever the verification). */
  counts?: CountCheckResult[];
  verification?: NamespaceVerification[];
  /** The copy's checkpoints vanished from the target mid-run: what was written may be gone, nothing can be resumed. */
  targetLost?: boolean;
}

export const nsKey = (db: string, coll: string) => `${db}.${coll}`;

/**
 * What the import preview says about the target before Start: each target collection that already holds
 * documents, how many, and what the chosen policy will do with them (stop, drop, keep, overwrite), or
 * that Start resumes an interrupted run of this same import (its checkpoint is on the target). Read-only:
 * an estimated count and one checkpoint lookup per collection.
 */
import { MongoClient } from 'mongodb';
import type { WritePolicy } from '../shared/mongo-writer';
import { connectPromptly } from '../shared/mongo-connect';
import { formatCount } from '../shared/format';
import { ImportCheckpoints } from './import-checkpoints';
import { checkpointKey, type ImportSource } from './import-engine';

export interface TargetState {
  coll: string;
  /** Documents there now (the server's estimate, from its metadata). */
  docs: number;
  /** An interrupted run of this same import (same file, collection and settings) is on record. */
  resumes?: { docs: number };
}

export interface TargetCheckRequest {
  uri: string;
  db: string;
  sources: ImportSource[];
  ignoreEmpty: boolean;
  timeoutMs?: number;
}

/** The target collections that hold documents (empty or missing ones are left out). */
export async function inspectTargets(request: TargetCheckRequest): Promise<TargetState[]> {
  const timeout = request.timeoutMs ?? 8_000;
  const client = new MongoClient(request.uri, {
    serverSelectionTimeoutMS: timeout,
    connectTimeoutMS: timeout,
    appName: 'Cutover import preview',
  });
  try {
    await connectPromptly(client);
    const checkpoints = new ImportCheckpoints(client);
    const states: TargetState[] = [];
    for (const source of request.sources) {
      const docs = await client.db(request.db).collection(source.coll).estimatedDocumentCount();
      if (docs === 0) continue;
      const { key } = await checkpointKey(source, request);
      const checkpoint = await checkpoints.load(key);
      states.push({
        coll: source.coll,
        docs,
        ...(checkpoint?.state === 'importing' ? { resumes: { docs: checkpoint.docs } } : {}),
      });
    }
    return states;
  } finally {
    await client.close().catch(() => undefined);
  }
}

/** One warning per collection that holds documents: how many, and what Start will do with them. */
export function targetNotes(
  states: TargetState[],
  db: string,
  conflict: WritePolicy,
): Array<{ level: 'warning'; text: string }> {
  return states.map(({ coll, docs, resumes }) => {
    const holds = `${db}.${coll} already holds ${formatCount(docs)} ${docs === 1 ? 'document' : 'documents'}`;
    if (resumes) {
      return {
        level: 'warning',
        text: `${holds}, ${formatCount(resumes.docs)} of them from an earlier run of this same import that was interrupted: Start resumes it from its checkpoint.`,
      };
    }
    return { level: 'warning', text: `${holds}: ${POLICY_OUTCOMES[conflict]}` };
  });
}

const POLICY_OUTCOMES: Record<WritePolicy, string> = {
  abort:
    'with "Stop if the collection already has documents", Start will stop before importing anything. Change settings to drop it first, keep existing _ids or overwrite.',
  drop: 'Start drops the collection first, so they are deleted, with its indexes, before the import.',
  skip: 'they stay; a row whose _id is already there is skipped, keeping the document that is there.',
  overwrite: 'they stay, except those with the same _id as a row, which the row replaces.',
};

/**
 * What the copy's engine tests share: a request that copies one collection `db.coll` to `db_t.coll` on
 * the same server, and events that record the phases and progress rows a job reports.
 */
import type { CopyEvents } from './engine';
import type { CopyRequest, NamespaceResult } from './plan';

export function oneCollectionRequest(
  uri: string,
  db: string,
  coll: string,
  overrides: Partial<CopyRequest> = {},
): CopyRequest {
  return {
    jobKey: `test-${db}`,
    sourceUri: uri,
    targetUri: uri,
    namespaces: [{ sourceDb: db, sourceColl: coll, targetDb: `${db}_t`, targetColl: coll, kind: 'collection' }],
    conflict: 'abort',
    load: 'normal',
    indexes: 'after',
    verify: 'full',
    ...overrides,
  };
}

export function recorder() {
  const rows: NamespaceResult[] = [];
  const phases: string[] = [];
  const events: CopyEvents = {
    phase: (name) => phases.push(name),
    namespace: (r) => rows.push(r),
    warn: () => undefined,
  };
  return { rows, phases, events };
}

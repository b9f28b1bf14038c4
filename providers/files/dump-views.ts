/**
 * The views of a mongodump folder, recreated after its collections (runs in the files worker). A view
 * is only a definition (`viewOn`, `pipeline`, maybe `collation`) in its `.metadata.json`; each is created
 * after the dump's views it reads, so a view on a view finds its source in place. A name already taken
 * on the target follows the import's conflict policy: drop replaces it, abort stops naming it, skip and
 * overwrite leave it and warn. A view already there with the same definition is left alone quietly, so
 * importing the same folder again does not trip over the views it created the first time.
 */
import { BSON, type Db, type Document } from 'mongodb';
import type { WritePolicy } from '../shared/mongo-writer';
import { withRetry } from '../shared/mongo-retry';
import { readMetadata, viewOnOf } from './dump-metadata';
import { InputError } from './formats';

export interface ImportView {
  coll: string;
  metadataFile: string;
}

/**
 * created: it was not there; replaced: a collection or view of that name was dropped first (drop);
 * unchanged: the same view was there already; kept: something else has the name and was left (skip,
 * overwrite); skipped: not reached (cancelled); failed: the server refused it.
 */
export type ViewStatus = 'pending' | 'created' | 'replaced' | 'unchanged' | 'kept' | 'skipped' | 'failed';

export interface ViewResult {
  coll: string;
  viewOn: string;
  metadataFile: string;
  status: ViewStatus;
}

export interface ViewDefinition extends ImportView {
  viewOn: string;
  /** The create options as mongodump wrote them: viewOn, pipeline, collation. */
  options: Document;
}

export interface ViewEvents {
  view?(result: ViewResult): void;
  warn(message: string): void;
}

export interface ViewControl {
  isCancelled(): boolean;
  whenRunnable(): Promise<void>;
}

/** What is on the target under a name: listCollections' entry. */
interface Existing {
  name: string;
  type?: string;
  options?: Document;
}

export async function readViews(views: ImportView[]): Promise<ViewDefinition[]> {
  const definitions: ViewDefinition[] = [];
  for (const view of views) {
    const metadata = await readMetadata(view.metadataFile);
    const viewOn = viewOnOf(metadata);
    if (viewOn === undefined)
      throw new InputError(
        `${view.metadataFile}: the view ${view.coll} has no "viewOn" in its options any more. Check the file (it changed since it was read), or remove it to leave the view out.`,
      );
    definitions.push({ ...view, viewOn, options: metadata.options });
  }
  return creationOrder(definitions);
}

/**
 * Each view after the dump's views it reads (its viewOn, and the sources of $lookup, $graphLookup and
 * $unionWith in its pipeline). A cycle cannot be ordered: it is left in name order and the server's
 * refusal names the view.
 */
export function creationOrder(definitions: ViewDefinition[]): ViewDefinition[] {
  const byName = new Map(definitions.map((d) => [d.coll, d]));
  const ordered: ViewDefinition[] = [];
  const placed = new Set<string>();
  const visiting = new Set<string>();
  const visit = (definition: ViewDefinition) => {
    if (placed.has(definition.coll) || visiting.has(definition.coll)) return;
    visiting.add(definition.coll);
    const reads = new Set([definition.viewOn]);
    namesReadBy(definition.options.pipeline, reads);
    for (const name of reads) {
      const source = byName.get(name);
      if (source) visit(source);
    }
    visiting.delete(definition.coll);
    placed.add(definition.coll);
    ordered.push(definition);
  };
  definitions.forEach(visit);
  return ordered;
}

function namesReadBy(value: unknown, out: Set<string>): void {
  if (Array.isArray(value)) return value.forEach((item) => namesReadBy(item, out));
  if (typeof value !== 'object' || value === null || '_bsontype' in value) return;
  for (const [key, inner] of Object.entries(value)) {
    const stage = inner as Document | string | null | undefined;
    if (
      (key === '$lookup' || key === '$graphLookup') &&
      typeof stage === 'object' &&
      stage !== null &&
      typeof stage.from === 'string'
    )
      out.add(stage.from);
    if (key === '$unionWith') {
      const coll = typeof stage === 'string' ? stage : stage?.coll;
      if (typeof coll === 'string') out.add(coll);
    }
    namesReadBy(inner, out);
  }
}

/** With "abort", before anything is imported: a view whose name is taken stops the import, naming it. */
export async function refuseTakenViewNames(
  db: Db,
  definitions: ViewDefinition[],
  warn: (message: string) => void,
): Promise<void> {
  if (!definitions.length) return;
  const existing = await withRetry(
    () => db.listCollections({ name: { $in: definitions.map((d) => d.coll) } }).toArray(),
    retrying(db, warn),
  );
  for (const definition of definitions) {
    const taken = (existing as Existing[]).find((e) => e.name === definition.coll);
    if (taken && !sameView(taken, definition))
      throw new InputError(`${takenMessage(db, definition, taken)} Nothing was imported.`);
  }
}

/** Creates the views in order, after the collections; results are updated in place and reported. */
export async function restoreViews(
  db: Db,
  definitions: ViewDefinition[],
  conflict: WritePolicy,
  results: ViewResult[],
  events: ViewEvents,
  control: ViewControl,
): Promise<void> {
  const report = (result: ViewResult, status: ViewStatus) => {
    result.status = status;
    events.view?.({ ...result });
  };
  for (const definition of definitions) {
    await control.whenRunnable();
    if (control.isCancelled()) break;
    const result = results.find((r) => r.coll === definition.coll)!;
    try {
      report(result, await restoreView(db, definition, conflict, events));
    } catch (error) {
      report(result, 'failed');
      throw error instanceof InputError
        ? error
        : new InputError(`${refusedMessage(db, definition, error)} ${AFTER_COLLECTIONS}`);
    }
  }
  for (const result of results) if (result.status === 'pending') report(result, 'skipped');
}

const AFTER_COLLECTIONS =
  'Everything before it was imported; to create the remaining views, import the folder again choosing "Keep documents whose _id is already there" (what is there already is left as it is).';

async function restoreView(
  db: Db,
  definition: ViewDefinition,
  conflict: WritePolicy,
  events: ViewEvents,
): Promise<ViewStatus> {
  const [taken] = (await withRetry(
    () => db.listCollections({ name: definition.coll }).toArray(),
    retrying(db, events.warn),
  )) as Existing[];
  if (taken && sameView(taken, definition)) return 'unchanged';
  if (taken && conflict === 'abort') throw new InputError(takenMessage(db, definition, taken));
  if (taken && conflict !== 'drop') {
    events.warn(
      `${db.databaseName}.${definition.coll} already exists as a ${taken.type ?? 'collection'}: it was left as it is, and the dump's view ${definition.coll} (on ${definition.viewOn}, from ${definition.metadataFile}) was not created. Import again with "Drop the collection first" to replace it with the view.`,
    );
    return 'kept';
  }
  if (taken) await withRetry(() => db.collection(definition.coll).drop(), retrying(db, events.warn));
  try {
    await db.command({ create: definition.coll, ...definition.options });
  } catch (error) {
    throw new InputError(
      `${refusedMessage(db, definition, error)} Fix the view's definition in that file, or remove the file. ${AFTER_COLLECTIONS}`,
    );
  }
  return taken ? 'replaced' : 'created';
}

function refusedMessage(db: Db, definition: ViewDefinition, error: unknown): string {
  return `${definition.metadataFile}: the view ${db.databaseName}.${definition.coll} (on ${definition.viewOn}) could not be created: ${(error instanceof Error ? error.message : String(error)).replace(/\.$/, '')}.`;
}

function takenMessage(db: Db, definition: ViewDefinition, taken: Existing): string {
  return `${db.databaseName}.${definition.coll} already exists as a ${taken.type ?? 'collection'}, so the dump's view ${definition.coll} (on ${definition.viewOn}, from ${definition.metadataFile}) cannot be created. Choose "Drop the collection first" to replace it with the view, or "Keep documents whose _id is already there" to leave it as it is, and run the import again.`;
}

/** The same view: same source, pipeline and collation (compared as relaxed Extended JSON, so 1 and 1.0 match). */
function sameView(taken: Existing, definition: ViewDefinition): boolean {
  if (taken.type !== 'view') return false;
  const shape = (options: Document | undefined) =>
    BSON.EJSON.stringify(
      { viewOn: options?.viewOn, pipeline: options?.pipeline ?? [], collation: options?.collation ?? null },
      { relaxed: true },
    );
  return shape(taken.options) === shape(definition.options);
}

function retrying(db: Db, warn: (message: string) => void) {
  return (error: Error, delay: number) =>
    warn(`${db.databaseName}: transient error (${error.message}); retrying in ${Math.round(delay)} ms.`);
}

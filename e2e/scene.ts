/**
 * The set-up most copy specs share, registered on the enclosing `test.describe`: a source (a real
 * MongoDB when MONGODB_URI is set, else a test server) seeded with mixed documents in a database of its
 * own, dropped afterwards; and a fresh target test server for every test.
 */
import { startMongoTestServer, useMongo, type MongoTestServer, type UsedMongo } from '../testkit/mongo/index';
import { printScreenIfFailed, test } from './fixtures';
import { dropDatabase, seedMixed, uniqueName } from './data';

export interface SeededSource {
  source: UsedMongo;
  sourceDb: string;
}

/** Before the describe's tests: `docs` mixed documents in `<prefix>_…`.`coll`; `set` receives the source. */
export function useSeededSource(
  prefix: string,
  coll: string,
  docs: number,
  set: (seeded: SeededSource) => void,
  timeoutMs?: number,
): void {
  let seeded: SeededSource | undefined;
  test.beforeAll(async () => {
    if (timeoutMs) test.setTimeout(timeoutMs);
    const source = await useMongo();
    seeded = { source, sourceDb: uniqueName(prefix) };
    set(seeded);
    await seedMixed(source.uri, seeded.sourceDb, coll, docs);
  });
  test.afterAll(async () => {
    if (seeded?.source.isReal) await dropDatabase(seeded.source.uri, seeded.sourceDb).catch(() => undefined);
    await seeded?.source.stop();
  });
}

/** A target test server of its own for every test of the describe; `set` receives it. */
export function useFreshTarget(set: (target: MongoTestServer) => void): void {
  let target: MongoTestServer | undefined;
  test.beforeEach(async () => {
    target = await startMongoTestServer();
    set(target);
  });
  test.afterEach(async ({ page }, testInfo) => {
    await printScreenIfFailed(page, testInfo);
    await target?.stop();
  });
}

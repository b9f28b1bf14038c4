/**
 * Bad rows across resumes: one error log per import, carried across cancels and kills (its path is in
 * the checkpoint), each bad row logged once, the total right; the log's cap; no listener leak.
 * The kills are real: the CLI runs in a child process that is sent SIGKILL mid-import.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { useMongoClient } from '../../testkit/mongo/vitest-client';
import { ErrorLog } from './error-log';
import { runImport, type ImportRequest } from './import-engine';
import { spawnCliImport, tempDir } from './test-helpers';

const db = `cutover_files_bad_${randomUUID().slice(0, 8)}`;
const mongo = useMongoClient({ dropOnRealServer: db });
let dir: string;
beforeAll(async () => {
  dir = await tempDir('bad-rows');
});

const quiet = { phase: () => undefined, source: () => undefined, warn: () => undefined };
const logLines = async (file: string) =>
  (await readFile(file, 'utf8')).split('\n').filter((l) => l && !l.startsWith('#'));

/** An import of one source into the test database that logs bad rows to `errorLog` and goes on (unless told otherwise), 500 documents a batch. */
const continuing = (source: ImportRequest['sources'][number], errorLog: string): ImportRequest => ({
  uri: mongo.uri,
  db,
  conflict: 'abort',
  onError: 'continue',
  ignoreEmpty: false,
  maxLineBytes: 1 << 20,
  batchDocs: 500,
  sources: [source],
  errorLog,
});

/** Every third row bad: `rows` rows in the format asked. */
async function fileWithBadRows(
  name: string,
  rows: number,
): Promise<{ file: string; bad: number; format: 'ndjson' | 'csv' }> {
  const file = path.join(dir, name);
  const csv = name.endsWith('.csv');
  const lines = Array.from({ length: rows }, (_, i) =>
    csv ? (i % 3 === 1 ? `${i},not-a-number` : `${i},${i}`) : i % 3 === 1 ? `{"n":${i},oops}` : `{"n":${i}}`,
  );
  await writeFile(file, `${csv ? 'n,v\n' : ''}${lines.join('\n')}\n`);
  return { file, bad: Math.floor((rows + 1) / 3), format: csv ? 'csv' : 'ndjson' };
}

describe('bad rows across resumes', () => {
  it.each(['cancelled.jsonl', 'cancelled.csv'])(
    '%s: cancelled twice mid-batch, then resumed: one log, each bad row once, the total right',
    async (name) => {
      const rows = 6_000;
      const { file, bad, format } = await fileWithBadRows(name, rows);
      const coll = name.replace('.', '_');
      const request = (run: number) =>
        continuing(
          { file, format, gzip: false, coll, types: format === 'csv' ? { n: 'int', v: 'int' } : undefined },
          path.join(dir, `import-${coll}-run${run}.log`), // a new path each run, as the provider gives
        );
      // Cancelled between batches' checkpoints (the engine asks before each record), so rows after the last checkpoint are read again.
      const cancelAfter = (n: number) => {
        let asked = 0;
        return { isCancelled: () => ++asked > n, whenRunnable: async () => undefined };
      };
      const first = await runImport(request(1), quiet, cancelAfter(1_700));
      expect(first.cancelled).toBe(true);
      const second = await runImport(request(2), quiet, cancelAfter(1_900));
      expect(second.cancelled).toBe(true);
      const last = await runImport(request(3), quiet, {
        isCancelled: () => false,
        whenRunnable: async () => undefined,
      });
      expect(last.cancelled).toBe(false);
      expect(last.errorLog).toBe(path.join(dir, `import-${coll}-run1.log`));
      expect(last.errorCount).toBe(bad);
      expect(last.sources[0]).toMatchObject({ docs: rows - bad, bad, status: 'done' });
      const lines = await logLines(last.errorLog!);
      expect(lines).toHaveLength(bad);
      expect(new Set(lines).size).toBe(bad);
      expect(await mongo.client.db(db).collection(coll).countDocuments()).toBe(rows - bad);
    },
  );

  it('killed twice (SIGKILL) mid-import through the CLI, then run again: one log named in the result, each bad row once, the total right', async () => {
    const rows = 30_000;
    const { file, bad } = await fileWithBadRows('killed.jsonl', rows);
    const dataDir = path.join(dir, 'cli-data');
    const imports = mongo.client.db('__cutover').collection('imports');
    const { CUTOVER_DATA_DIR: _unused, ...withoutDataDirVariable } = process.env;
    const run = (killAtIndex?: number) =>
      new Promise<{ code: number | null; stdout: string }>((resolve, reject) => {
        const child = spawnCliImport(
          { uri: mongo.uri, db, coll: 'killed' },
          file,
          ['--on-error', 'continue', '--batch-docs', '300', '--data-dir', dataDir],
          // --data-dir alone puts the error log in that folder (no CUTOVER_DATA_DIR to lean on).
          { env: withoutDataDirVariable },
        );
        let stdout = '';
        child.stdout.on('data', (c) => (stdout += c));
        child.on('error', reject);
        let timer: NodeJS.Timeout | undefined;
        if (killAtIndex !== undefined) {
          const poll = async () => {
            const cp = await imports.findOne({ file, state: 'importing' }).catch(() => null);
            if (cp && cp.index >= killAtIndex) child.kill('SIGKILL');
            else timer = setTimeout(poll, 20);
          };
          void poll();
        }
        child.on('exit', (code) => {
          clearTimeout(timer);
          resolve({ code, stdout });
        });
      });
    const one = await run(6_000);
    expect(one.code).toBe(null); // killed
    const afterFirst = await imports.findOne({ file });
    const two = await run((afterFirst!.index as number) + 6_000);
    expect(two.code).toBe(null);
    const three = await run();
    expect(three.code, three.stdout).toBe(0);
    const summary = JSON.parse(three.stdout) as { summary: string; stats: Record<string, string> };
    expect(summary.stats['Resumed']).toMatch(/yes/);
    expect(summary.stats['Bad rows (not imported)']).toBe(bad.toLocaleString('en-US'));
    const log = summary.stats['Error log'];
    expect(log).toBe(afterFirst!.errorLog);
    expect(log.startsWith(dataDir)).toBe(true);
    expect(summary.summary).toContain(log);
    const lines = await logLines(log);
    expect(lines).toHaveLength(bad);
    expect(new Set(lines).size).toBe(bad);
    expect(await mongo.client.db(db).collection('killed').countDocuments()).toBe(rows - bad);
  }, 180_000);

  it('stopping at a bad row, then running again with "continue": the row is logged once', async () => {
    const { file } = await fileWithBadRows('stop-then-continue.jsonl', 10);
    const request = (onError: 'stop' | 'continue', run: number): ImportRequest => ({
      ...continuing(
        { file, format: 'ndjson', gzip: false, coll: 'stop_continue' },
        path.join(dir, `import-stop-continue-${run}.log`),
      ),
      onError,
    });
    const always = { isCancelled: () => false, whenRunnable: async () => undefined };
    await expect(runImport(request('stop', 1), quiet, always)).rejects.toThrow(/line 2: not a valid JSON document/);
    const done = await runImport(request('continue', 2), quiet, always);
    expect(done.errorCount).toBe(3);
    expect(await logLines(done.errorLog!)).toEqual(
      [2, 5, 8].map((l) => expect.stringContaining(`${file}, line ${l}:`)),
    );
    expect(await mongo.client.db(db).collection('stop_continue').countDocuments()).toBe(7);
  });

  it('the log is capped: later bad rows are counted, not logged, and the result says so', async () => {
    const { file, bad } = await fileWithBadRows('capped.jsonl', 3_000);
    const request: ImportRequest = {
      ...continuing({ file, format: 'ndjson', gzip: false, coll: 'capped' }, path.join(dir, 'capped.log')),
      errorLogLimits: { rows: 100, bytes: 100 * 1024 * 1024 },
    };
    const outcome = await runImport(request, quiet, { isCancelled: () => false, whenRunnable: async () => undefined });
    expect(outcome.errorCount).toBe(bad);
    expect(outcome.errorLogCapped).toBe(true);
    expect(await logLines(outcome.errorLog!)).toHaveLength(100);
    expect(await readFile(outcome.errorLog!, 'utf8')).toMatch(
      /# The log stops here: at most 100 rows or 100 MB are logged; later bad rows were counted, not logged\.\n$/,
    );
  });
});

describe('the error log named by a checkpoint', () => {
  it("is carried on only when it is in Cutover's errors folder: a checkpoint on the target cannot make Cutover cut or write another file", async () => {
    const { file } = await fileWithBadRows('tampered.jsonl', 3_000);
    const precious = path.join(dir, 'elsewhere', 'import-precious.log');
    await mkdir(path.dirname(precious), { recursive: true });
    await writeFile(precious, '# Cutover import: not really, and it must stay as it is\nkeep me\n');
    const errors = path.join(dir, 'errors');
    const request = (run: number) =>
      continuing(
        { file, format: 'ndjson', gzip: false, coll: 'tampered' },
        path.join(errors, `import-tampered-${run}.log`),
      );
    let asked = 0;
    await runImport(request(1), quiet, { isCancelled: () => ++asked > 1_200, whenRunnable: async () => undefined });
    await mongo.client
      .db('__cutover')
      .collection('imports')
      .updateOne({ file, state: 'importing' }, { $set: { errorLog: precious, logBytes: 0 } });
    const warnings: string[] = [];
    const done = await runImport(
      request(2),
      { ...quiet, warn: (m) => warnings.push(m) },
      { isCancelled: () => false, whenRunnable: async () => undefined },
    );
    expect(await readFile(precious, 'utf8')).toBe('# Cutover import: not really, and it must stay as it is\nkeep me\n');
    expect(done.errorLog).toBe(path.join(errors, 'import-tampered-2.log'));
    expect(warnings.join('\n')).toContain("which is not in Cutover's errors folder: it was left alone");
  });
});

describe('the error log', () => {
  it('waiting for it to drain leaves no listeners behind (no MaxListenersExceededWarning)', async () => {
    const warnings: Error[] = [];
    const onWarning = (w: Error) => warnings.push(w);
    process.on('warning', onWarning);
    try {
      const log = new ErrorLog(path.join(dir, 'drain.log'), 'test');
      const reason = 'x'.repeat(20_000); // past the stream's high-water mark: every line makes it wait
      for (let i = 0; i < 50; i++) {
        log.add('file', `line ${i}`, reason);
        await log.drained();
      }
      await log.close();
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning')).toEqual([]);
      expect(await logLines(path.join(dir, 'drain.log'))).toHaveLength(50);
    } finally {
      process.off('warning', onWarning);
    }
  });
});

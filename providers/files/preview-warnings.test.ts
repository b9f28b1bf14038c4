/**
 * The import preview warns before Start (issue #16), through the core as the window drives it, against
 * the project's MongoDB test server with the real driver: sampled cells that will not convert to the
 * chosen column type (how many, the first one's line, value and reason), and a target collection that
 * already holds documents (how many, and what the chosen policy will do), which Start then does. A clean
 * file into an empty collection has no warnings; an interrupted import of the same file says Start resumes it.
 */
import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type Document } from 'mongodb';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Prompt } from '../../preload/contract';
import { useMongoClient } from '../../testkit/mongo/vitest-client';
import { detectFile } from './detect';
import { buildPreview } from './preview';
import { runFilesAction, tempDir } from './test-helpers';

type Report = Extract<Prompt, { kind: 'report' }>;

const db = `cutover_files_warn_${randomUUID().slice(0, 8)}`;
const mongo = useMongoClient({ dropOnRealServer: db });
let dir: string;
beforeAll(async () => {
  dir = await tempDir('preview-warnings');
});

/** Runs an import to its preview; `answer` is the preview's choice ('start', or undefined to cancel there). */
async function preview(file: string, presets: Record<string, string>, answer?: 'start') {
  const { done, prompts } = await runFilesAction({
    uri: mongo.uri,
    db,
    action: 'import',
    dataDir: dir,
    presets: { file, ...presets },
    onPrompt: (prompt) => (prompt.kind === 'form' ? {} : prompt.kind === 'report' ? (answer ?? null) : null),
  });
  const report = prompts.find((p): p is Report => p.kind === 'report');
  if (!report) throw new Error(`No preview was shown (${prompts.map((p) => p.kind).join(', ')}).`);
  return { done, report, warnings: report.notes.filter((n) => n.level === 'warning').map((n) => n.text) };
}

const csvFile = async (name: string, text: string) => {
  const file = path.join(dir, name);
  await writeFile(file, text);
  return file;
};

describe('cells that will not convert to the chosen type', () => {
  it('are counted per column with the first one (line, value, reason), and how the bad-row choice treats them', async () => {
    const file = await csvFile(
      'people.csv',
      'name,age,born\nAnn,31,1990-01-02\nBob,abc,1991-02-03\n\nCy,,02/03/1992\n"Di\nDo",1.5,1993-04-05\n',
    );
    const { report, warnings, done } = await preview(file, { coll: 'people', types: 'age:int,born:date' });
    expect(warnings).toEqual([
      'Column "age" (int): 2 of the 4 sampled cells will not convert, e.g. line 3: "abc" is not a whole number.',
      'Column "born" (date): 1 of the 4 sampled cells will not convert, e.g. line 5: "02/03/1992" is not an ISO 8601 date (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ).',
      'With "stop at the first bad row", the import stops at the first of them: change the column types (or settings) before Start.',
    ]);
    // The Line column says the same lines as the warnings (a blank line and a quoted line break counted).
    expect(report.rows.map((r) => r['#'])).toEqual(['2', '3', '5', '6']);
    expect(done.state).toBe('cancelled');
    expect(await mongo.client.db(db).listCollections({ name: 'people' }).toArray()).toEqual([]);
  });

  it('with "continue", each is said to be a bad row that is logged', async () => {
    const file = await csvFile('scores.csv', 'id,score\n1,x\n2,3\n');
    const { warnings } = await preview(file, { coll: 'scores', types: 'score:double', onError: 'continue' });
    expect(warnings).toEqual([
      'Column "score" (double): 1 of the 2 sampled cells will not convert, e.g. line 2: "x" is not a number.',
      'Each of them will be a bad row, skipped and listed in the error log.',
    ]);
  });

  it('a clean file into an empty collection has no warnings', async () => {
    const file = await csvFile('clean.csv', 'id,score\n1,2.5\n2,3\n');
    const { warnings } = await preview(file, { coll: 'clean' });
    expect(warnings).toEqual([]);
  });
});

describe('the line a warning names', () => {
  it.each([
    {
      name: 'LF, blank lines and a quoted line break',
      text: '\n\nid,v\n\n1,x\n2,"y\ny"\n\n3,z\n',
      lines: ['5', '6', '9'],
    },
    {
      name: 'CRLF, blank lines and a quoted CRLF',
      text: 'id,v\r\n\r\n1,x\r\n\r\n\r\n2,"y\r\ny"\r\n3,z',
      lines: ['3', '6', '8'],
    },
    { name: 'a BOM and CRLF', text: '\ufeffid,v\r\n1,x\r\n2,y\r\n3,z\r\n', lines: ['2', '3', '4'] },
  ])('$name: lines $lines', async ({ text, lines }) => {
    const file = await csvFile('lines.csv', text);
    const result = await buildPreview(await detectFile(file), { v: 'int' }, 8 << 20);
    expect(result.rows.map((r) => r['#'])).toEqual(lines);
    expect(result.csv?.[1].unconvertible).toMatchObject({ count: 3, line: Number(lines[0]), value: 'x' });
  });
});

describe('a target collection that already holds documents', () => {
  const existing: Document[] = [
    { _id: 1, name: 'old one' },
    { _id: 2, name: 'old two' },
    { _id: 3, name: 'old three' },
  ];
  const file = () => csvFile('rows.csv', '_id,name\n3,new three\n4,new four\n');
  const cases = [
    {
      conflict: 'abort',
      says: 'already holds 3 documents: with "Stop if the collection already has documents", Start will stop before importing anything. Change settings to drop it first, keep existing _ids or overwrite.',
      state: 'failed',
      after: ['old one', 'old two', 'old three'],
    },
    {
      conflict: 'drop',
      says: 'already holds 3 documents: Start drops the collection first, so they are deleted, with its indexes, before the import.',
      state: 'succeeded',
      after: ['new three', 'new four'],
    },
    {
      conflict: 'skip',
      says: 'already holds 3 documents: they stay; a row whose _id is already there is skipped, keeping the document that is there.',
      state: 'succeeded',
      after: ['old one', 'old two', 'old three', 'new four'],
    },
    {
      conflict: 'overwrite',
      says: 'already holds 3 documents: they stay, except those with the same _id as a row, which the row replaces.',
      state: 'succeeded',
      after: ['old one', 'old two', 'new three', 'new four'],
    },
  ];
  it.each(cases)(
    '$conflict: the preview says how many and what Start will do, and Start does it',
    async ({ conflict, says, state, after }) => {
      const coll = `taken_${conflict}`;
      await mongo.client.db(db).collection(coll).insertMany(existing);
      const csv = await file();

      const cancelled = await preview(csv, { coll, conflict });
      expect(cancelled.warnings).toEqual([`${db}.${coll} ${says}`]);
      expect(await mongo.client.db(db).collection(coll).countDocuments()).toBe(3); // the preview only looked

      const started = await preview(csv, { coll, conflict }, 'start');
      expect(started.warnings).toEqual([`${db}.${coll} ${says}`]);
      expect(started.done.state).toBe(state);
      const names = (
        await mongo.client
          .db(db)
          .collection(coll)
          .find({}, { sort: { _id: 1 } })
          .toArray()
      ).map((d) => d.name);
      expect(names).toEqual(after);
    },
  );

  it('an interrupted run of the same import: Start resumes it', async () => {
    const lines = ['{"_id":1}', '{"_id":2}', '{"_id":3}', '{"_id": oops}', '{"_id":5}'];
    const ndjson = path.join(dir, 'interrupted.ndjson');
    await writeFile(ndjson, `${lines.join('\n')}\n`);
    const presets = { coll: 'interrupted', batchDocs: '1', onError: 'stop' };
    const first = await runFilesAction({
      uri: mongo.uri,
      db,
      action: 'import',
      dataDir: dir,
      presets: { file: ndjson, confirm: 'yes', ...presets },
    });
    expect(first.done.state).toBe('failed');
    const docs = await mongo.client.db(db).collection('interrupted').countDocuments();
    expect(docs).toBeGreaterThan(0);
    const again = await preview(ndjson, presets);
    expect(again.warnings).toEqual([
      `${db}.interrupted already holds ${docs} ${docs === 1 ? 'document' : 'documents'}, ${docs} of them from an earlier run of this same import that was interrupted: Start resumes it from its checkpoint.`,
      'Some of the first records are not valid: see the rows marked ✗.',
    ]);
  });
});

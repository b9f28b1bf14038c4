/**
 * The relational provider end to end: through the core as the window drives it (target, mapping form,
 * pre-flight report with a cycle refused, Change the mapping, Start, progress, result), and through the
 * CLI (`cutover relational --from … --to … --mapping m.json --json`), against real PostgreSQL.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Long, MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useMongo } from '../../testkit/mongo/index';
import { createCore } from '../../main/core/app-core';
import type { JobSnapshot, Prompt } from '../../preload/contract';
import { createRelationalProvider } from './index';
import { pgScratch, type PgScratch } from './test-helpers';

const root = path.resolve(import.meta.dirname, '../..');
let mongo: { uri: string; stop(): Promise<void> };
let client: MongoClient;
let pgdb: PgScratch;
let dataDir: string;
const dbs: string[] = [];

beforeAll(async () => {
  mongo = await useMongo();
  client = await new MongoClient(mongo.uri).connect();
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'cutover-rel-'));
  pgdb = await pgScratch();
  await pgdb.exec(`CREATE TABLE teams (id int PRIMARY KEY, name text, captain_id int)`);
  await pgdb.exec(`CREATE TABLE players (id int PRIMARY KEY, team_id int REFERENCES teams (id), name text)`);
  await pgdb.exec(`ALTER TABLE teams ADD CONSTRAINT teams_captain_fk FOREIGN KEY (captain_id) REFERENCES players (id)`);
  await pgdb.exec(`INSERT INTO teams VALUES (1, 'Reds', NULL), (2, 'Blues', NULL)`);
  await pgdb.exec(`INSERT INTO players VALUES (10, 1, 'Ann'), (11, 1, 'Ben'), (12, 2, 'Cat')`);
  await pgdb.exec(`UPDATE teams SET captain_id = 10 WHERE id = 1`);
});
afterAll(async () => {
  for (const db of dbs) await client?.db(db).dropDatabase().catch(() => undefined);
  await client?.close();
  await mongo?.stop();
  await pgdb?.drop();
});

describe('relational provider', () => {
  it('asks the mapping, refuses a cycle in the pre-flight report, then runs the changed mapping and verifies', async () => {
    const targetDb = `rel_ui_${randomBytes(4).toString('hex')}`;
    dbs.push(targetDb);
    const s = pgdb.schema;
    const core = createCore({ providers: [createRelationalProvider({ connectTimeoutMs: 3_000 })], shell: 'browser', version: 'test', progressThrottleMs: 50, dataDir: path.join(dataDir, 'core') });
    const prompts: Prompt[] = [];
    const snapshots: JobSnapshot[] = [];
    let forms = 0;
    let rerun = false;
    core.onEvent((name, payload) => {
      if (name === 'job.updated') snapshots.push(payload as JobSnapshot);
      if (name !== 'job.prompt') return;
      const prompt = payload as Prompt;
      prompts.push(prompt);
      let value: unknown;
      if (rerun) {
        // The re-run: change the mapping, then dismiss the form (nothing is written).
        value = prompt.kind === 'report' ? 'change' : undefined;
        void core.dispatch('prompts.answer', { jobId: prompt.jobId, promptId: prompt.promptId, value: value as string | undefined });
        return;
      }
      if (prompt.kind === 'input') value = mongo.uri;
      if (prompt.kind === 'form' && prompt.title.startsWith('Fields of')) {
        // A column renamed, another given a type and its nulls left out.
        value = { 'include:id': true, 'name:name': 'teamName', 'type:captain_id': 'long', 'nulls:captain_id': 'omit', 'include:captain_id': true };
      } else if (prompt.kind === 'form') {
        forms++;
        // First: each player embeds its team and each team its captain (a player): a cycle. Then: players in teams, the captain a reference.
        value = {
          targetDb,
          [`include:${s}.players`]: false,
          [`relation:${s}.players:players_team_id_fkey`]: forms === 1 ? 'parent' : 'children',
          [`relation:${s}.teams:teams_captain_fk`]: forms === 1 ? 'parent' : 'reference',
          conflict: 'abort',
          verify: 'sample',
          sampleSize: 10,
          editFields: forms === 2 ? `${s}.teams` : '',
          [`field:${s}.players:players_team_id_fkey`]: forms >= 2 ? 'roster' : '',
        };
      }
      if (prompt.kind === 'report') value = prompt.actions.some((a) => a.id === 'start') ? 'start' : 'change';
      void core.dispatch('prompts.answer', { jobId: prompt.jobId, promptId: prompt.promptId, value });
    });
    const opened = await core.dispatch('connections.open', { uri: `${pgdb.uri}` });
    if (!opened.ok) throw new Error(opened.error.message);
    const started = await core.dispatch('jobs.start', { providerId: 'relational', context: { connectionId: (opened.value as { id: string }).id, extendedProperties: { schemas: s } } });
    if (!started.ok) throw new Error(started.error.message);
    const done = await core.runner.whenDone((started.value as { jobId: string }).jobId);
    const firstRun = [...prompts];

    // Run again from History: the remembered target and mapping come back, so the first prompt is the
    // report (with the same embedding); "Change the mapping" shows the form as it was left.
    const before = prompts.length;
    rerun = true;
    const again = await core.dispatch('history.rerun', { jobId: (started.value as { jobId: string }).jobId });
    if (!again.ok) throw new Error(again.error.message);
    const rerunDone = await core.runner.whenDone((again.value as { jobId: string }).jobId);
    expect(rerunDone.state).toBe('cancelled');
    const rerunPrompts = prompts.slice(before);
    expect(rerunPrompts.map((p) => p.kind)).toEqual(['report', 'form']);
    const rerunReport = rerunPrompts[0] as Extract<Prompt, { kind: 'report' }>;
    expect(rerunReport.rows[0]).toMatchObject({ collection: 'teams', embeds: 'roster[]', state: '2 documents' });
    const rerunForm = rerunPrompts[1] as Extract<Prompt, { kind: 'form' }>;
    expect(rerunForm.fields.find((f) => f.id === 'targetDb')).toMatchObject({ value: targetDb });
    expect(rerunForm.fields.find((f) => f.id === `field:${s}.players:players_team_id_fkey`)).toMatchObject({ value: 'roster' });
    await core.shutdown();

    expect(done.state, done.summary).toBe('succeeded');
    expect(firstRun.map((p) => `${p.kind}: ${p.title}`)).toEqual([
      'input: Migrate to which MongoDB server?',
      'form: Map the tables to collections',
      'report: Before writing: the relational migration',
      'form: Map the tables to collections',
      `form: Fields of ${s}.teams`,
      'form: Map the tables to collections',
      'report: Before writing: the relational migration',
    ]);
    const [firstReport, secondReport] = firstRun.filter((p): p is Extract<Prompt, { kind: 'report' }> => p.kind === 'report');
    expect(firstReport.actions.map((a) => a.id)).toEqual(['change']);
    expect(firstReport.notes).toContainEqual({
      level: 'error',
      text: `The embeddings form a cycle: ${s}.players → ${s}.teams → ${s}.players. Keep one of these relations as a reference: ${s}.players:players_team_id_fkey, ${s}.teams:teams_captain_fk.`,
    });
    expect(secondReport.rows).toEqual([{ collection: 'teams', table: `${s}.teams`, embeds: 'roster[]', rows: '2', size: expect.stringMatching(/^≈ /), state: 'empty' }]);
    expect(secondReport.notes.map((n) => n.text)).toContainEqual(expect.stringMatching(/^Snapshot: one consistent snapshot \(REPEATABLE READ/));
    expect(secondReport.notes.map((n) => n.text)).toContainEqual(expect.stringMatching(/Foreign keys form a cycle/));
    // A preview of real documents, built as the job builds them, changes with the mapping.
    expect(secondReport.notes.filter((n) => n.text.startsWith('Preview')).map((n) => n.text)).toEqual([
      'Preview of teams (1 of 2): {"_id":1,"teamName":"Reds","captain_id":10,"roster":[{"id":10,"team_id":1,"name":"Ann"},{"id":11,"team_id":1,"name":"Ben"}]}',
      'Preview of teams (2 of 2): {"_id":2,"teamName":"Blues","roster":[{"id":12,"team_id":2,"name":"Cat"}]}',
    ]);
    expect(firstReport.notes.some((n) => n.text.startsWith('Preview'))).toBe(false);
    expect(done.summary).toBe(`Wrote 2 documents into 1 collection(s) of ${targetDb}. Verification passed.`);
    expect(snapshots.some((x) => x.phase === 'Copy')).toBe(true);
    expect(done.items).toContainEqual(expect.objectContaining({ id: 'teams', status: 'done', docs: 2 }));
    // The mapping is exportable from the result: the same document, ready for --mapping.
    const exported = done.details?.find((d) => d.title.startsWith('The mapping document'))?.items[0];
    expect(JSON.parse(exported!)).toMatchObject({ format: 'cutover-relational-mapping', version: 1, relations: { [`${s}.players:players_team_id_fkey`]: { kind: 'children' } } });
    const teams = await client.db(targetDb).collection('teams').find({}, { sort: { _id: 1 }, promoteLongs: false }).toArray();
    expect(teams).toEqual([
      { _id: 1, teamName: 'Reds', captain_id: Long.fromNumber(10), roster: [{ id: 10, team_id: 1, name: 'Ann' }, { id: 11, team_id: 1, name: 'Ben' }] },
      { _id: 2, teamName: 'Blues', roster: [{ id: 12, team_id: 2, name: 'Cat' }] },
    ]);
  });

  it('runs from the command line with a mapping file, printing a JSON summary', async () => {
    const targetDb = `rel_cli_${randomBytes(4).toString('hex')}`;
    dbs.push(targetDb);
    const s = pgdb.schema;
    const file = path.join(dataDir, 'm.json');
    await writeFile(file, JSON.stringify({ format: 'cutover-relational-mapping', version: 1, tables: { [`${s}.teams`]: { include: false } }, relations: { [`${s}.players:players_team_id_fkey`]: { kind: 'parent', field: 'team' } } }));
    const run = await cutover(['relational', '--from', pgdb.uri, '--to', mongo.uri, '--schemas', s, '--target-db', targetDb, '--mapping', file, '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ ok: true, state: 'succeeded', docs: 3 });
    const players = await client.db(targetDb).collection('players').find({}, { sort: { _id: 1 } }).toArray();
    expect(players[0]).toEqual({ _id: 10, team_id: 1, name: 'Ann', team: { id: 1, name: 'Reds', captain_id: 10 } });

    const bad = path.join(dataDir, 'bad.json');
    await writeFile(bad, '{"format":"cutover-relational-mapping","version":1,"relations":{"x":{"kind":"nest"}}}');
    const refused = await cutover(['relational', '--from', pgdb.uri, '--to', mongo.uri, '--mapping', bad]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`${bad} is not a valid mapping: relations.x.kind:`);
    // The default mapping of the source, printed for editing: read through the provider, nothing written.
    const printed = await cutover(['relational', '--from', pgdb.uri, '--schemas', s, '--print-mapping']);
    expect(printed.code, printed.stderr).toBe(0);
    expect(JSON.parse(printed.stdout)).toMatchObject({ format: 'cutover-relational-mapping', version: 1 });
  }, 60_000);
});

function cutover(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'main/cli/index.ts'), ...args], { cwd: root, env: { ...process.env, CUTOVER_DATA_DIR: dataDir } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

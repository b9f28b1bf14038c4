/**
 * The relational provider end to end: through the core as the window drives it (target, the mapping screen
 * with live previews and a cycle refused, the options, the pre-flight report, Start, progress, result), and through the
 * CLI (`cutover relational --from … --to … --mapping m.json --json`), against real PostgreSQL.
 */
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
import { runCli } from '../../testkit/run-cli';

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
  for (const db of dbs)
    await client
      ?.db(db)
      .dropDatabase()
      .catch(() => undefined);
  await client?.close();
  await mongo?.stop();
  await pgdb?.drop();
});

describe('relational provider', () => {
  it('asks the mapping on the mapping screen with live previews, refuses a cycle there, then runs the mapping and verifies', async () => {
    const targetDb = `rel_ui_${randomBytes(4).toString('hex')}`;
    dbs.push(targetDb);
    const s = pgdb.schema;
    const core = createCore({
      providers: [createRelationalProvider({ connectTimeoutMs: 3_000 })],
      shell: 'browser',
      version: 'test',
      progressThrottleMs: 50,
      dataDir: path.join(dataDir, 'core'),
    });
    const prompts: Prompt[] = [];
    const snapshots: JobSnapshot[] = [];
    const previews: unknown[] = [];
    let mappings = 0;
    let rerun = false;
    const team = `${s}.players:players_team_id_fkey`;
    const captain = `${s}.teams:teams_captain_fk`;
    // First: each player embeds its team and each team its captain (a player): a cycle. Then: players in teams, the captain a reference.
    const cyclic = {
      format: 'cutover-relational-mapping',
      version: 1,
      relations: { [team]: { kind: 'parent' }, [captain]: { kind: 'parent' } },
    };
    const good = {
      format: 'cutover-relational-mapping',
      version: 1,
      tables: {
        [`${s}.players`]: { include: false },
        [`${s}.teams`]: { fields: { name: { name: 'teamName' }, captain_id: { type: 'long', nulls: 'omit' } } },
      },
      relations: { [team]: { kind: 'children', field: 'roster' } },
    };
    const answer = (prompt: Prompt, value: unknown) =>
      void core.dispatchFromWindow('prompts.answer', {
        jobId: prompt.jobId,
        promptId: prompt.promptId,
        value: value as string | undefined,
      });
    core.onEvent((name, payload) => {
      if (name === 'job.updated') snapshots.push(payload as JobSnapshot);
      if (name !== 'job.prompt') return;
      const prompt = payload as Prompt;
      prompts.push(prompt);
      if (rerun) {
        // The re-run: change the mapping, then dismiss the mapping screen (nothing is written).
        answer(prompt, prompt.kind === 'report' ? 'change' : undefined);
        return;
      }
      if (prompt.kind === 'input') answer(prompt, mongo.uri);
      else if (prompt.kind === 'mapping') {
        mappings++;
        void (async () => {
          // The window asks for previews as the person edits: each is checked and built on the main side.
          for (const mapping of [cyclic, { ...good, tables: { 'public.secrets': {} } }, good]) {
            const got = await core.dispatchFromWindow('prompts.preview', {
              jobId: prompt.jobId,
              promptId: prompt.promptId,
              mapping: JSON.stringify(mapping),
            });
            previews.push(got.ok ? got.value : got.error);
          }
          answer(prompt, JSON.stringify(mappings === 1 ? cyclic : good));
        })();
      } else if (prompt.kind === 'form')
        answer(prompt, { targetDb, conflict: 'abort', verify: 'sample', sampleSize: 10 });
      else if (prompt.kind === 'report')
        answer(prompt, prompt.actions.some((a) => a.id === 'start') ? 'start' : 'change');
    });
    const opened = await core.dispatch('connections.open', { uri: `${pgdb.uri}` });
    if (!opened.ok) throw new Error(opened.error.message);
    const started = await core.dispatch('jobs.start', {
      providerId: 'relational',
      context: { connectionId: (opened.value as { id: string }).id, extendedProperties: { schemas: s } },
    });
    if (!started.ok) throw new Error(started.error.message);
    const jobId = (started.value as { jobId: string }).jobId;
    const done = await core.runner.whenDone(jobId);
    const firstRun = [...prompts];
    // A closed prompt takes no more previews; an oversized mapping is refused at the door.
    const late = await core.dispatchFromWindow('prompts.preview', {
      jobId,
      promptId: firstRun[1].promptId,
      mapping: JSON.stringify(good),
    });
    expect(late).toMatchObject({
      ok: false,
      error: { code: 'bad_request', message: expect.stringMatching(/No open mapping prompt/) },
    });
    const huge = await core.dispatchFromWindow('prompts.preview', {
      jobId,
      promptId: firstRun[1].promptId,
      mapping: 'x'.repeat(1_000_001),
    });
    expect(huge).toMatchObject({ ok: false, error: { code: 'bad_request' } });

    // Run again from History: the remembered target and mapping come back, so the first prompt is the
    // report (with the same embedding); "Change the mapping" shows the mapping screen as it was left.
    const before = prompts.length;
    rerun = true;
    const again = await core.dispatch('history.rerun', { jobId });
    if (!again.ok) throw new Error(again.error.message);
    const rerunDone = await core.runner.whenDone((again.value as { jobId: string }).jobId);
    expect(rerunDone.state).toBe('cancelled');
    const rerunPrompts = prompts.slice(before);
    expect(rerunPrompts.map((p) => p.kind)).toEqual(['report', 'mapping']);
    const rerunReport = rerunPrompts[0] as Extract<Prompt, { kind: 'report' }>;
    expect(rerunReport.rows[0]).toMatchObject({ collection: 'teams', embeds: 'roster[]', state: '2 documents' });
    const rerunMapping = rerunPrompts[1] as Extract<Prompt, { kind: 'mapping' }>;
    expect(JSON.parse(rerunMapping.mapping)).toEqual(good);
    await core.shutdown();

    expect(done.state, done.summary).toBe('succeeded');
    expect(firstRun.map((p) => `${p.kind}: ${p.title}`)).toEqual([
      'input: Migrate to which MongoDB server?',
      'mapping: Map the tables to collections',
      'mapping: Map the tables to collections',
      'form: Migration options',
      'report: Before writing: the relational migration',
    ]);
    const screen = firstRun[1] as Extract<Prompt, { kind: 'mapping' }>;
    expect(screen.source.tables.map((t) => t.id)).toEqual([`${s}.players`, `${s}.teams`]);
    expect(screen.source.cycles).toEqual([`${s}.players → ${s}.teams → ${s}.players`]);
    const cycleMessage = `The embeddings form a cycle: ${s}.players → ${s}.teams → ${s}.players. Keep one of these relations as a reference: ${team}, ${captain}.`;
    // The cycle is refused on the screen itself: asked again, with the reason.
    expect((firstRun[2] as Extract<Prompt, { kind: 'mapping' }>).error).toBe(cycleMessage);
    expect(previews.slice(0, 3)).toEqual([
      { collections: [], documents: [], errors: [cycleMessage] },
      {
        collections: ['players', 'teams'],
        documents: [],
        errors: ['tables.public.secrets: there is no table public.secrets in the source.'],
      },
      {
        collection: 'teams',
        collections: ['teams'],
        errors: [],
        documents: [
          '{"_id":1,"teamName":"Reds","captain_id":10,"roster":[{"id":10,"team_id":1,"name":"Ann"},{"id":11,"team_id":1,"name":"Ben"}]}',
          '{"_id":2,"teamName":"Blues","roster":[{"id":12,"team_id":2,"name":"Cat"}]}',
        ],
      },
    ]);
    const report = firstRun[4] as Extract<Prompt, { kind: 'report' }>;
    expect(report.rows).toEqual([
      {
        collection: 'teams',
        table: `${s}.teams`,
        embeds: 'roster[]',
        rows: '2',
        size: expect.stringMatching(/^≈ /),
        state: 'empty',
      },
    ]);
    expect(report.notes.map((n) => n.text)).toContainEqual(
      expect.stringMatching(/^Snapshot: one consistent snapshot \(REPEATABLE READ/),
    );
    expect(report.notes.map((n) => n.text)).toContainEqual(expect.stringMatching(/Foreign keys form a cycle/));
    // The report's preview of real documents is the mapping's.
    expect(report.notes.filter((n) => n.text.startsWith('Preview')).map((n) => n.text)).toEqual([
      'Preview of teams (1 of 2): {"_id":1,"teamName":"Reds","captain_id":10,"roster":[{"id":10,"team_id":1,"name":"Ann"},{"id":11,"team_id":1,"name":"Ben"}]}',
      'Preview of teams (2 of 2): {"_id":2,"teamName":"Blues","roster":[{"id":12,"team_id":2,"name":"Cat"}]}',
    ]);
    expect(done.summary).toBe(`Wrote 2 documents into 1 collection of ${targetDb}. Verification passed.`);
    expect(snapshots.some((x) => x.phase === 'Copy')).toBe(true);
    expect(done.items).toContainEqual(expect.objectContaining({ id: 'teams', status: 'done', docs: 2 }));
    // The mapping is exportable from the result: the same document, ready for --mapping.
    const exported = done.details?.find((d) => d.title.startsWith('The mapping document'))?.items[0];
    expect(JSON.parse(exported!)).toEqual(good);
    const teams = await client
      .db(targetDb)
      .collection('teams')
      .find({}, { sort: { _id: 1 }, promoteLongs: false })
      .toArray();
    expect(teams).toEqual([
      {
        _id: 1,
        teamName: 'Reds',
        captain_id: Long.fromNumber(10),
        roster: [
          { id: 10, team_id: 1, name: 'Ann' },
          { id: 11, team_id: 1, name: 'Ben' },
        ],
      },
      { _id: 2, teamName: 'Blues', roster: [{ id: 12, team_id: 2, name: 'Cat' }] },
    ]);
  });

  it('runs from the command line with a mapping file, printing a JSON summary', async () => {
    const targetDb = `rel_cli_${randomBytes(4).toString('hex')}`;
    dbs.push(targetDb);
    const s = pgdb.schema;
    const file = path.join(dataDir, 'm.json');
    await writeFile(
      file,
      JSON.stringify({
        format: 'cutover-relational-mapping',
        version: 1,
        tables: { [`${s}.teams`]: { include: false } },
        relations: { [`${s}.players:players_team_id_fkey`]: { kind: 'parent', field: 'team' } },
      }),
    );
    const run = await cutover([
      'relational',
      '--from',
      pgdb.uri,
      '--to',
      mongo.uri,
      '--schemas',
      s,
      '--target-db',
      targetDb,
      '--mapping',
      file,
      '--json',
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ ok: true, state: 'succeeded', docs: 3 });
    const players = await client
      .db(targetDb)
      .collection('players')
      .find({}, { sort: { _id: 1 } })
      .toArray();
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

const cutover = (args: string[]) => runCli(args, { env: { ...process.env, CUTOVER_DATA_DIR: dataDir } });

/**
 * Relational to MongoDB, as a person does it: connect to PostgreSQL, Migrate… → Relational to MongoDB,
 * give the target, map on the mapping screen with one embedding (players as an array in their team; the
 * players table left out; a column renamed) while its live preview shows three real documents with the
 * embedded array (and axe finds no serious or critical problem there), give the options, see the
 * pre-flight report, start, watch it finish with the verification passed, and find the documents in the target.
 */
import AxeBuilder from '@axe-core/playwright';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { MongoClient } from 'mongodb';
import { useMongo, type UsedMongo } from '../testkit/mongo/index';
import { PG_URL } from '../providers/relational/test-helpers';
import { test, expect } from './fixtures';
import { answerPrompts, connectWith } from './helpers';
import { dropDatabase, uniqueName } from './data';

test.describe('Relational to MongoDB', () => {
  let mongo: UsedMongo;
  let database: string;
  let sourceUri: string;

  test.beforeAll(async () => {
    mongo = await useMongo();
    // A database of its own: the provider reads every schema of the database it is connected to.
    database = `cutover_e2e_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${database}`);
    await admin.end();
    const url = new URL(PG_URL);
    url.pathname = `/${database}`;
    sourceUri = url.toString();
    const client = new pg.Client({ connectionString: sourceUri });
    await client.connect();
    await client.query(`CREATE TABLE teams (id int PRIMARY KEY, name text NOT NULL)`);
    // mentor_id: a foreign key of players to players, a cycle the mapping screen will not embed.
    await client.query(
      `CREATE TABLE players (id int PRIMARY KEY, mentor_id int REFERENCES players (id), team_id int NOT NULL REFERENCES teams (id), name text, joined date)`,
    );
    await client.query(`INSERT INTO teams SELECT g, 'Team ' || g FROM generate_series(1, 50) g`);
    await client.query(
      `INSERT INTO players SELECT g, NULL, (g - 1) / 4 + 1, 'Player ' || g, date '2024-01-01' + g FROM generate_series(1, 200) g`,
    );
    await client.end();
  });

  test.afterAll(async () => {
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch(() => undefined);
    await admin.end();
    await mongo?.stop();
  });

  test('maps players into their teams, previews, runs and verifies', async ({ page, snap }) => {
    test.setTimeout(180_000);
    const targetDb = uniqueName('e2e_rel');
    await connectWith(page, sourceUri, 'League');
    await expect(page.getByRole('heading', { level: 1, name: 'League' })).toBeVisible({ timeout: 20_000 });
    await page.getByRole('button', { name: 'Migrate…' }).click();
    await page.getByRole('list', { name: 'Migrations' }).getByRole('button', { name: 'Relational to MongoDB' }).click();

    const done = page.getByRole('heading', { level: 2, name: /finished/ });
    const seen = await answerPrompts(
      page,
      [
        [
          /which mongodb server/i,
          async (dialog) => {
            await dialog.getByRole('textbox').fill(mongo.uri);
            await dialog.getByRole('button', { name: 'OK', exact: true }).click();
          },
        ],
        [
          /map the tables/i,
          async (dialog) => {
            // Before any choice: the default mapping, a collection per table (the first one shown).
            await expect(
              dialog.getByRole('list', { name: 'Preview documents of players' }).getByRole('listitem'),
            ).toHaveCount(3);
            const preview = dialog.getByRole('list', { name: 'Preview documents of teams' }).getByRole('listitem');
            // The cycle: players as an array in their mentor (a player) would nest endlessly; the screen says so and keeps the reference.
            await expect(dialog).toContainText('The foreign keys form a cycle: public.players → public.players.');
            const mentor = dialog.getByLabel('public.players (mentor_id) → public.players');
            await mentor.selectOption('children');
            await expect(dialog.getByRole('alert')).toHaveText(
              'Not embedded: it would nest endlessly (players → players). Keep this relation, or another one on that cycle, as a reference.',
            );
            await expect(mentor).toHaveValue('reference');
            await mentor.selectOption('reference');
            await expect(dialog.getByRole('alert')).toHaveCount(0);
            await dialog.getByLabel('Table public.players', { exact: true }).uncheck();
            await dialog.getByLabel('public.players (team_id) → public.teams').selectOption('children');
            await dialog.getByRole('button', { name: 'Fields of teams' }).click();
            await dialog.getByLabel('Field name for name', { exact: true }).fill('teamName');
            // The live preview: three real teams, each with its players embedded as an array.
            await expect(dialog.getByRole('status')).toHaveText('3 documents of teams, built from the source');
            await expect(preview).toHaveCount(3);
            await expect(preview.nth(0)).toContainText('"teamName": "Team 1"');
            await expect(preview.nth(0)).toContainText('"players": [');
            await expect(preview.nth(0)).toContainText('"name": "Player 4"');
            await expect(preview.nth(2)).toContainText('"name": "Player 12"');
            const axe = await new AxeBuilder({ page: dialog.page() })
              .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
              .analyze();
            const bad = axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
            expect(bad.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual(
              [],
            );
            await snap('mapping');
            // At 800×600 nothing scrolls sideways.
            const page = dialog.page();
            const size = page.viewportSize();
            await page.setViewportSize({ width: 800, height: 600 });
            expect(
              await page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth),
            ).toBe(false);
            if (size) await page.setViewportSize(size);
            await dialog.getByRole('button', { name: 'Next', exact: true }).click();
          },
        ],
        [
          /migration options/i,
          async (dialog) => {
            await dialog.getByLabel('Target database').fill(targetDb);
            await dialog.getByRole('button', { name: 'Review' }).click();
          },
        ],
        [
          /before writing/i,
          async (dialog) => {
            await expect(dialog.getByRole('table')).toContainText('players[]');
            await expect(dialog).toContainText(
              'Preview of teams (1 of 3): {"_id":1,"teamName":"Team 1","players":[{"id":1,"mentor_id":null,"team_id":1,"name":"Player 1","joined":{"$date":"2024-01-02T00:00:00Z"}}',
            );
            await snap('preflight');
            await dialog.getByRole('button', { name: 'Start', exact: true }).click();
          },
        ],
      ],
      done,
      120_000,
    );
    expect(seen).toHaveLength(4);
    await expect(done).toBeVisible({ timeout: 120_000 });
    const panel = page.getByRole('region', { name: 'Migration finished' });
    await expect(panel).toContainText(`Wrote 50 documents into 1 collection of ${targetDb}. Verification passed.`);
    await expect(panel).toContainText('passed: counts match, 50 rebuilt documents identical byte for byte');
    await snap('finished');

    const client = await new MongoClient(mongo.uri).connect();
    try {
      const teams = await client
        .db(targetDb)
        .collection('teams')
        .find({}, { sort: { _id: 1 } })
        .toArray();
      expect(teams).toHaveLength(50);
      expect(teams[49]).toMatchObject({
        _id: 50,
        teamName: 'Team 50',
        players: [{ id: 197 }, { id: 198 }, { id: 199 }, { id: 200 }],
      });
      expect(await client.db(targetDb).listCollections({ name: 'players' }).toArray()).toEqual([]);
    } finally {
      await client.close();
      await dropDatabase(mongo.uri, targetDb).catch(() => undefined);
    }
  });
});

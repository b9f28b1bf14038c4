/**
 * The provider platform as a person uses it: drop a provider's tarball (the schema report example, built
 * against the packed SDK) on the Providers screen, see its publisher and needs, run it on a collection;
 * the host asks whether it may run (the harness's own question, answered here by the test standing in
 * for the person at the terminal: the page cannot answer it).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { NO_HOST_DIALOGS, type ConfirmRequest } from '../main/core/host-dialogs';
import { startHarness, type Harness } from '../main/harness/server';
import { packExample } from '../main/core/providers/third-party-build';
import { useMongo, type UsedMongo } from '../testkit/mongo/index';
import { expect, test as base } from './fixtures';
import { connectWith, selectCollection } from './helpers';

const asked: ConfirmRequest[] = [];
const test = base.extend<{ harness: Harness | undefined }>({
  harness: async ({ dataDir, shell }, use) => {
    if (shell === 'electron') return use(undefined);
    const harness = await startHarness({
      coreOptions: {
        dataDir,
        hostDialogs: {
          ...NO_HOST_DIALOGS,
          where: 'on the host',
          confirm: async (request) => {
            asked.push(request);
            return true;
          },
        },
        installedProviders: { policyFile: path.join(dataDir, 'no-policy.json') },
      },
    });
    try {
      await use(harness);
    } finally {
      await harness.stop();
    }
  },
});

let mongo: UsedMongo;
let tarball: string;
const db = `e2e_providers_${Date.now()}`;

test.beforeAll(async () => {
  test.setTimeout(180_000);
  mongo = await useMongo();
  const client = await new MongoClient(mongo.uri).connect();
  await client
    .db(db)
    .collection('people')
    .insertMany([
      { name: 'Ada', age: 36 },
      { name: 'Grace', age: 85, tags: ['navy'] },
    ]);
  await client.close();
  tarball = await packExample('schema-report');
});
test.afterAll(async () => {
  await mongo?.stop();
});

test('drop a provider tarball, allow it, run it on a collection', async ({ page, shell, snap }) => {
  test.skip(
    shell === 'electron',
    'The host-side consent question is answered by a test double of the harness; Electron asks with a native dialog.',
  );
  await page.getByRole('button', { name: 'Providers' }).click();
  await expect(page.getByRole('heading', { name: 'Providers', level: 1 })).toBeVisible();
  await expect(page.getByText('No providers installed yet.')).toBeVisible();

  const bytes = [...readFileSync(tarball)];
  const dataTransfer = await page.evaluateHandle(
    ({ bytes, name }) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([new Uint8Array(bytes)], name, { type: 'application/gzip' }));
      return transfer;
    },
    { bytes, name: path.basename(tarball) },
  );
  await page.getByTestId('provider-drop').dispatchEvent('dragenter', { dataTransfer });
  await page.getByTestId('provider-drop').dispatchEvent('drop', { dataTransfer });

  const card = page.getByRole('listitem', { name: 'Schema report' });
  await expect(card).toContainText('Schema report 1.0.0');
  await expect(card).toContainText('by Cutover examples');
  await expect(card).toContainText("Uses the connection's user name and password (raw credentials).");
  await expect(card).toContainText("Connects to the connection's own servers.");
  await expect(card).toContainText('Not yet allowed');
  await snap('installed');
  // The drop went to the Providers screen, not to the connection-file intake.
  await expect(page.getByTestId('drop-overlay')).toHaveCount(0);

  await connectWith(page, mongo.uri, 'source');
  await selectCollection(page, db, 'people');
  await page.getByRole('button', { name: 'Migrate…' }).click();
  await page
    .getByRole('list', { name: 'Migrations' })
    .getByRole('button', { name: /Schema report/ })
    .click();

  await expect(page.getByRole('region', { name: 'Migration finished' })).toContainText(
    `Sampled 2 documents of ${db}.people`,
    { timeout: 60_000 },
  );
  expect(asked).toHaveLength(1);
  expect(asked[0].message).toBe('Allow the provider "Schema report" (Cutover examples, version 1.0.0) to run?');
  expect(asked[0].detail).toContain('not a security sandbox');

  await page.getByRole('button', { name: 'Providers' }).click();
  await expect(page.getByRole('listitem', { name: 'Schema report' })).toContainText('Allowed');
  await page.getByRole('listitem', { name: 'Schema report' }).getByRole('button', { name: 'Disable' }).click();
  await expect(page.getByRole('listitem', { name: 'Schema report' })).toContainText('Disabled');
});

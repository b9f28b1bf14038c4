/**
 * Moving a Versia account through the window, against three test-kit instances: connect the old
 * account, Migrate… → Versia account migration → Move my account, give the new account, confirm, watch
 * the three steps, read the result; then check on the instances that the move happened.
 */
import { answerPrompts, connectWith, startAction } from './helpers';
import { test, expect } from './versia.fixtures';

test.describe('Versia account migration', () => {
  test('moves an account from old.test to new.test, with third.test following along', async ({
    page,
    versia,
    snap,
  }) => {
    await connectWith(page, versia.old.connectionString('alice'), 'Alice on old.test');
    await expect(page.getByRole('heading', { level: 1, name: 'Alice on old.test' })).toBeVisible({ timeout: 20_000 });
    await expect(page.getByText('@alice@old.test', { exact: true })).toBeVisible();

    await page.getByRole('button', { name: 'Migrate…' }).click();
    const providers = page.getByRole('list', { name: 'Migrations' });
    await providers.getByRole('button', { name: 'Versia account migration' }).click();
    const actions = page.getByRole('list', { name: 'Actions of Versia account migration' });
    await expect(actions.getByRole('button', { name: /Check readiness/ })).toBeVisible();
    await expect(actions.getByRole('button', { name: /Verify a migration/ })).toBeVisible();
    await snap('actions');
    await actions.getByRole('button', { name: /Move my account/ }).click();

    // The new account: without a token it is asked again, saying what is missing.
    const ask = page.getByRole('dialog', { name: 'Which account are you moving to?' });
    await expect(ask).toBeVisible();
    const field = ask.locator('input');
    await field.fill('@alice@new.test');
    await ask.getByRole('button', { name: 'OK', exact: true }).click();
    await expect(ask.getByRole('alert')).toContainText(/access token of @alice@new\.test/);
    await snap('new-account-error');
    await field.fill(versia.new.connectionString('alice'));
    await ask.getByRole('button', { name: 'OK', exact: true }).click();
    await expect(ask).toHaveCount(0);

    const result = page.getByRole('heading', { level: 2, name: 'Move finished' });
    const seen = await answerPrompts(
      page,
      [
        [
          /move this account/i,
          async (dialog) => {
            await expect(dialog).toContainText('Move @alice@old.test to @alice@new.test?');
            await snap('confirm');
            await dialog.getByRole('button', { name: 'Move my account' }).click();
          },
        ],
      ],
      result,
      60_000,
    );
    expect(seen).toEqual(['Move this account?']);
    await expect(result).toBeVisible({ timeout: 60_000 });
    const panel = page.getByRole('region', { name: 'Move finished' });
    await expect(panel).toContainText('@alice@old.test moved to @alice@new.test');
    await expect(panel).toContainText('Followers moved');
    await expect(panel).toContainText('7 of 7');
    await expect(panel).toContainText('3 of 3');
    for (const step of ['1. Prepare the new account', '2. Request the migration', '3. Complete'])
      await expect(page.getByText(step)).toBeVisible();
    await snap('finished');

    // On the instances: the old account points to the new one and is disabled; third.test re-pointed.
    const newRef = versia.new.reference('alice');
    expect(versia.old.user('alice').new).toBe(newRef);
    expect(versia.old.user('alice').disabled).toBe(true);
    expect(versia.new.user('alice').previous).toBe(versia.old.reference('alice'));
    for (const name of ['carol', 'ivy']) expect([...versia.third.user(name).following]).toEqual([newRef]);
    expect([...versia.third.user('carol').followers]).toEqual([newRef]);
    expect(versia.new.user('alice').followers.size).toBe(7);
  });

  test('check readiness against a server like Versia Server 0.9: "Not ready", not a green check, naming what is missing', async ({
    page,
    versia,
    snap,
  }) => {
    const reference = await startReferenceLikeInstance(versia);
    try {
      await connectWith(page, versia.old.connectionString('alice'));
      await startAction(page, 'Versia account migration', 'Check readiness');
      const dialog = page.getByRole('dialog', { name: 'Which account are you moving to?' });
      await dialog.locator('input').fill('@bob@ref.test');
      await dialog.getByRole('button', { name: 'OK', exact: true }).click();
      const panel = page.getByRole('region', { name: 'Not ready' });
      await expect(panel).toBeVisible({ timeout: 30_000 });
      await expect(page.getByRole('region', { name: 'Migration finished' })).toHaveCount(0);
      await expect(panel).toHaveClass(/result-attention/);
      await expect(panel).not.toHaveClass(/result-succeeded/);
      await expect(panel).toContainText('Not ready to move @alice@old.test to @bob@ref.test');
      await expect(panel).toContainText(
        'runs Versia Server 0.9.0-alpha.0, which does not implement account migration yet',
      );
      await expect(panel).toContainText(
        'Moving accounts is not supported by Versia Server 0.9.0-alpha.0 (ref.test) yet',
      );
      await expect(panel).toContainText(
        /types its Versia link application\/json instead of application\/vnd\.versia\+json \(tolerated\)/,
      );
      await expect(page.locator('.state-attention').first()).toHaveText('Not ready');
      await snap('not-ready');
      // History says the same.
      await page
        .getByRole('navigation')
        .getByRole('button', { name: /History/ })
        .click();
      await expect(page.getByRole('table').getByText('Not ready', { exact: true })).toBeVisible();
    } finally {
      await reference.stop();
    }
  });
});

async function startReferenceLikeInstance(versia: { network: import('../testkit/versia/index').VersiaNetwork }) {
  const { startVersiaInstance } = await import('../testkit/versia/index');
  const reference = await startVersiaInstance({ domain: 'ref.test', network: versia.network, flavour: 'reference' });
  reference.createUser('bob');
  return reference;
}

/**
 * "Move my account": the extension's three steps, each verified over federation before the next.
 *   Prepare  — the new account's `previous` is set to the old account (new instance's client API), then
 *              read back from the new instance's signed User entity.
 *   Request  — the old instance is asked to migrate (old instance's client API); it checks `previous`,
 *              sends the Migration to every instance the old account interacts with, and the new
 *              instance's collections are read back to see the relationships arrive.
 *   Complete — wait until the old account's signed User shows `new` and the account is disabled.
 * Each step reads the current state first, so an interrupted move carries on where it stopped and a
 * finished one is left alone.
 */
import type { ActionHost, ActionResult, ItemStatus } from '../api/index';
import { CancelledError, CutoverError } from '../api/index';
import type { VersiaAccount } from './account';
import type { MigrationAdapter, MigrationStatus } from './adapters/index';
import { checkSide } from './readiness';
import type { Session, VersiaProviderOptions } from './session';
import { MIGRATION_EXTENSION, sameReference, VersiaUnreachableError, type FederationClient } from './protocol/index';
import { verifyMigration } from './verify';

export const MOVE_PHASES = ['Check', 'Prepare', 'Request', 'Complete'] as const;

const RESUME_HINT = 'Nothing is lost: run "Move my account" again to carry on from here.';

interface Counts {
  followers: string[];
  following: string[];
}

export async function moveAccount(
  session: Session,
  oldAccount: VersiaAccount,
  newAccount: VersiaAccount,
  host: ActionHost,
  options: VersiaProviderOptions,
  confirmed: boolean,
): Promise<ActionResult> {
  const { progress } = host;
  const client = session.client;
  const step = (id: 'prepare' | 'request' | 'complete', status: ItemStatus, detail?: string) =>
    progress.item({
      id,
      label: { prepare: '1. Prepare the new account', request: '2. Request the migration', complete: '3. Complete' }[
        id
      ],
      status,
      detail,
    });
  const notes: string[] = [];
  let current: 'prepare' | 'request' | 'complete' | undefined;
  progress.setPhases([...MOVE_PHASES]);
  try {
    // ---- Check --------------------------------------------------------------------------------------
    progress.phase('Check');
    step('prepare', 'pending');
    step('request', 'pending');
    step('complete', 'pending');
    const [oldSide, newSide] = await Promise.all([
      checkSide(client, oldAccount, 'old', options.adapters),
      checkSide(client, newAccount, 'new', options.adapters),
    ]);
    const alreadyMoved = oldSide.problems.filter((p) => /has already moved to/.test(p));
    const blocking = [...oldSide.problems.filter((p) => !alreadyMoved.includes(p)), ...newSide.problems];
    if (blocking.length) throw new Error(`Not ready to move: ${blocking.join(' ')}`);
    const oldAdapter = session.adapter(oldAccount, oldSide.metadata!);
    const newAdapter = session.adapter(newAccount, newSide.metadata!);
    const [oldState, newState] = await Promise.all([oldAdapter.readAccount(), newAdapter.readAccount()]);
    const oldRef = oldState.reference;
    const newRef = newState.reference;
    if (!sameReference(oldRef, oldSide.reference))
      throw new Error(`The token of ${oldAccount.handle} belongs to ${oldRef}, not to ${oldSide.reference}.`);
    if (!sameReference(newRef, newSide.reference))
      throw new Error(`The token of ${newAccount.handle} belongs to ${newRef}, not to ${newSide.reference}.`);
    if (sameReference(oldRef, newRef)) throw new Error('The old and the new account are the same account.');
    if (oldState.new && !sameReference(oldState.new, newRef))
      throw new Error(`${oldAccount.handle} has already moved to ${oldState.new}, not to ${newAccount.handle}.`);
    if (newState.previous && !sameReference(newState.previous, oldRef)) {
      throw new Error(
        `${newAccount.handle} already names ${newState.previous} as its previous account. Clear it on ${newAccount.domain} first if you want to move ${oldAccount.handle} there.`,
      );
    }
    const finished = !!oldState.new && oldState.disabled;
    if (!finished && !confirmed) {
      const ok = await host.ui.confirm({
        title: 'Move this account?',
        message: `Move ${oldAccount.handle} to ${newAccount.handle}?`,
        detail: `Followers and followings move to ${newAccount.handle} on every instance that knows ${oldAccount.handle}; ${oldAccount.handle} is then disabled and points to the new account. This cannot be undone from Cutover.`,
        confirmLabel: 'Move my account',
        destructive: true,
      });
      if (!ok) throw new CancelledError('Cancelled: nothing was changed.');
    }
    // What moves: the old account's relationships as they are before the request.
    const before: Counts | undefined = finished ? undefined : await relationships(client, oldRef);

    // ---- Prepare ------------------------------------------------------------------------------------
    host.begin();
    progress.phase('Prepare');
    current = 'prepare';
    const preparedAlready = sameReference(newState.previous, oldRef);
    step('prepare', 'running', preparedAlready ? 'previous already set' : `setting previous on ${newAccount.handle}`);
    if (!preparedAlready) await newAdapter.setPrevious(oldRef);
    await expectFederated(
      client,
      newRef,
      'previous',
      oldRef,
      `${newAccount.domain} does not show ${oldRef} as the previous account of ${newAccount.handle}`,
    );
    step(
      'prepare',
      preparedAlready ? 'skipped' : 'done',
      preparedAlready
        ? 'already done: previous was set'
        : `verified: ${newAccount.handle} names ${oldAccount.handle} as previous`,
    );
    throwIfCancelled(host);

    // ---- Request ------------------------------------------------------------------------------------
    progress.phase('Request');
    current = 'request';
    let status = await oldAdapter.migrationStatus();
    if (status.state !== 'none' && status.destination && !sameReference(status.destination, newRef))
      throw new Error(`${oldAccount.domain} is already migrating ${oldAccount.handle} to ${status.destination}.`);
    const requestedAlready = status.state === 'completed';
    if (!requestedAlready) {
      step(
        'request',
        'running',
        status.state === 'none'
          ? `asking ${oldAccount.domain} to migrate`
          : `resuming: ${status.failed.length || status.pending} instance(s) still to reach`,
      );
      status = await oldAdapter.requestMigration(newRef);
    }
    step('request', 'running', 'distributing the Migration');

    // ---- Complete -----------------------------------------------------------------------------------
    status = await waitForDelivery(oldAdapter, status, host, options, oldAccount);
    step(
      'request',
      requestedAlready ? 'skipped' : 'done',
      requestedAlready ? 'already done' : `Migration delivered to ${plural(status.delivered, 'instance')}`,
    );
    progress.phase('Complete');
    current = 'complete';
    step('complete', 'running', `waiting for ${oldAccount.handle} to show the new account`);
    await waitForCompletion(client, oldAdapter, oldRef, newRef, host, options);
    const verdict = await verifyMigration(client, oldRef, newRef);
    if (!verdict.verified || !verdict.completed)
      throw new Error(`The migration did not verify: ${verdict.findings.join(' ')}`);
    const after = await relationships(client, newRef);
    step(
      'complete',
      finished ? 'skipped' : 'done',
      finished ? 'already done' : `verified: ${oldAccount.handle} is disabled and points to ${newAccount.handle}`,
    );

    // ---- Result -------------------------------------------------------------------------------------
    const stats = [
      { label: 'Old account', value: `${oldAccount.handle}: disabled` },
      { label: 'New account', value: newAccount.handle },
    ];
    const details: NonNullable<ActionResult['details']> = [{ title: 'Verification', items: verdict.findings }];
    if (before) {
      const movedFollowers = before.followers.filter((r) => r !== newRef && after.followers.includes(r));
      const movedFollowing = before.following.filter((r) => r !== newRef && after.following.includes(r));
      const missing = [
        ...before.followers.filter((r) => r !== newRef && !after.followers.includes(r)).map((r) => `follower ${r}`),
        ...before.following.filter((r) => r !== newRef && !after.following.includes(r)).map((r) => `following ${r}`),
      ];
      stats.push({
        label: 'Followers moved',
        value: `${movedFollowers.length} of ${before.followers.filter((r) => r !== newRef).length}`,
      });
      stats.push({
        label: 'Followings moved',
        value: `${movedFollowing.length} of ${before.following.filter((r) => r !== newRef).length}`,
      });
      if (missing.length) {
        details.push({ title: 'Relationships not seen on the new account', items: missing });
        progress.warn(
          `${plural(missing.length, 'relationship')} of ${oldAccount.handle} did not show up on ${newAccount.handle}.`,
        );
      }
    } else {
      stats.push(
        { label: 'Followers', value: `${after.followers.length} on the new account` },
        { label: 'Followings', value: `${after.following.length} on the new account` },
      );
      notes.push('Already moved: nothing was changed.');
    }
    if (preparedAlready || requestedAlready)
      stats.push({
        label: 'Resumed',
        value: finished ? 'no: the move was already complete' : 'yes: carried on from the state the instances were in',
      });
    return {
      outcome: 'succeeded',
      heading: 'Move finished',
      summary: finished
        ? `${oldAccount.handle} had already moved to ${newAccount.handle}: nothing was changed. The migration verifies.`
        : `${oldAccount.handle} moved to ${newAccount.handle}. The migration verifies over federation.`,
      stats,
      details: notes.length ? [...details, { title: 'Notes', items: notes }] : details,
    };
  } catch (error) {
    if (current)
      step(
        current,
        error instanceof CancelledError || host.cancellation.isCancellationRequested ? 'skipped' : 'failed',
        (error as Error).message,
      );
    if (error instanceof CancelledError || host.cancellation.isCancellationRequested)
      throw error instanceof CancelledError ? error : new CancelledError(`Cancelled. ${RESUME_HINT}`);
    if (
      error instanceof VersiaUnreachableError ||
      (current && current !== 'prepare') ||
      error instanceof StalledError
    ) {
      throw new Error(`${(error as Error).message} ${RESUME_HINT}`);
    }
    throw error;
  }
}

class StalledError extends CutoverError {
  override name = 'StalledError';
}

async function relationships(client: FederationClient, ref: string): Promise<Counts> {
  const [followers, following] = await Promise.all([
    client.collection(ref, 'followers'),
    client.collection(ref, 'following'),
  ]);
  return { followers: followers.items, following: following.items };
}

async function expectFederated(
  client: FederationClient,
  ref: string,
  field: 'previous' | 'new',
  expected: string,
  failure: string,
): Promise<void> {
  const user = await client.user(ref);
  const value = user.extensions?.[MIGRATION_EXTENSION]?.[field];
  if (!sameReference(value, expected)) throw new Error(`${failure} (${field} is ${value ?? 'unset'}).`);
}

async function waitForDelivery(
  adapter: MigrationAdapter,
  initial: MigrationStatus,
  host: ActionHost,
  options: VersiaProviderOptions,
  oldAccount: VersiaAccount,
): Promise<MigrationStatus> {
  let status = initial;
  const deadline = Date.now() + (options.completionTimeoutMs ?? 60_000);
  while (status.state === 'delivering') {
    if (Date.now() > deadline)
      throw new StalledError(
        `${oldAccount.domain} is still distributing the Migration after ${Math.round((options.completionTimeoutMs ?? 60_000) / 1000)} s.`,
      );
    await sleep(options.pollIntervalMs ?? 250, host);
    status = await adapter.migrationStatus();
  }
  if (status.state === 'stalled') {
    throw new StalledError(
      `The Migration could not reach every instance that knows ${oldAccount.handle}: ${status.failed.map((f) => f.error).join(' ')}`,
    );
  }
  return status;
}

async function waitForCompletion(
  client: FederationClient,
  adapter: MigrationAdapter,
  oldRef: string,
  newRef: string,
  host: ActionHost,
  options: VersiaProviderOptions,
): Promise<void> {
  const deadline = Date.now() + (options.completionTimeoutMs ?? 60_000);
  for (;;) {
    const [user, state] = await Promise.all([client.user(oldRef), adapter.readAccount()]);
    if (sameReference(user.extensions?.[MIGRATION_EXTENSION]?.new, newRef) && state.disabled) return;
    if (Date.now() > deadline) throw new StalledError(`${oldRef} does not show ${newRef} as new and disabled yet.`);
    await sleep(options.pollIntervalMs ?? 250, host);
  }
}

function throwIfCancelled(host: ActionHost): void {
  if (host.cancellation.isCancellationRequested) throw new CancelledError();
}

function sleep(ms: number, host: ActionHost): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => (stop(), resolve()), ms);
    const stop = host.cancellation.onCancellationRequested(() => {
      clearTimeout(timer);
      stop();
      reject(new CancelledError());
    });
  });
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

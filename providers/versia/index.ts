/**
 * The Versia account-migration provider: moves a person's Versia account from an old instance to a new
 * one with the migration extension's three steps (prepare, request, complete), verifying each over
 * federation; checks readiness; verifies a migration between two accounts.
 *
 * The context connection is the old account (versia://user:TOKEN@old.instance). Presets in
 * `extendedProperties`: newAccount (a versia:// account with its token), confirm=yes (no confirmation),
 * oldAccount / newHandle (for "Verify a migration").
 */
import type { ActionHost, ActionResult, MigrationContext, MigrationProvider, PickItem } from '../api/index';
import { CancelledError } from '../api/index';
import { AccountInputError, parseAccount, type VersiaAccount } from './account';
import { moveAccount } from './move';
import { parseReference } from './protocol/index';
import { checkSide } from './readiness';
import { openSession, type VersiaProviderOptions } from './session';
import { verifyMigration } from './verify';

export type { VersiaProviderOptions } from './session';
export { registerVersiaAdapter, type AdapterFactory } from './adapters/index';

export const CHECK_READINESS = 'check-readiness';
export const MOVE_ACCOUNT = 'move-account';
export const VERIFY_MIGRATION = 'verify-migration';

export function createVersiaProvider(options: VersiaProviderOptions = {}): MigrationProvider {
  return {
    id: 'versia-migration',
    label: 'Versia account migration',
    description:
      'Move your Versia account to another instance with the migration extension: followers and followings follow you, every step verified over federation.',
    icon: '⇢',
    learnMoreUrl: 'https://versia.pub/extensions/migration',
    appliesTo: ['versia'],
    signalsBegin: true,
    unavailableReason(context) {
      return context.connection?.kind === 'versia'
        ? undefined
        : 'Connect to a Versia account first (versia://user:ACCESS_TOKEN@instance).';
    },
    async getAvailableActions(context): Promise<PickItem[]> {
      const handle = oldAccountOf(context, false)?.handle;
      return [
        {
          id: CHECK_READINESS,
          label: 'Check readiness',
          description: 'Do both instances support moving accounts, and do both accounts resolve?',
        },
        {
          id: MOVE_ACCOUNT,
          label: 'Move my account',
          description: handle
            ? `Move ${handle} to a new account: prepare, request, complete`
            : 'Move this account to a new account',
          requiresAuthentication: false,
        },
        {
          id: VERIFY_MIGRATION,
          label: 'Verify a migration',
          description: 'Do two accounts form a verified migration?',
        },
      ];
    },
    async executeAction(context, actionId, host) {
      switch (actionId) {
        case CHECK_READINESS:
          return readinessAction(context, host, options);
        case MOVE_ACCOUNT:
          return moveAction(context, host, options);
        case VERIFY_MIGRATION:
          return verifyAction(context, host, options);
        default:
          throw new Error(
            `Unknown action ${actionId ?? '(none)'}: choose Check readiness, Move my account or Verify a migration.`,
          );
      }
    },
  };
}

function oldAccountOf(context: MigrationContext, required = true): VersiaAccount | undefined {
  const connection = context.connection;
  if (!connection || connection.kind !== 'versia') {
    if (required) throw new Error('Connect to a Versia account first (versia://user:ACCESS_TOKEN@instance).');
    return undefined;
  }
  try {
    return parseAccount(connection.uri, 'connected account');
  } catch (error) {
    if (required) throw error;
    return undefined;
  }
}

/** The new account: from the presets, else asked for (and remembered for a re-run). */
async function askNewAccount(
  context: MigrationContext,
  host: ActionHost,
  old: VersiaAccount,
  needToken: boolean,
): Promise<VersiaAccount> {
  const validate = (value: string): string | undefined => {
    try {
      const account = parseAccount(value, 'new account');
      if (needToken && !account.token)
        return `Give the access token of ${account.handle} too: versia://${account.username}:ACCESS_TOKEN@${account.domain}.`;
      if (account.domain === old.domain && account.username === old.username)
        return `${account.handle} is the account you are moving from: give the new account.`;
      return undefined;
    } catch (error) {
      return (error as Error).message;
    }
  };
  const preset = context.extendedProperties.newAccount;
  if (preset !== undefined) {
    const problem = validate(preset);
    if (problem) throw new AccountInputError(problem);
    return parseAccount(preset, 'new account');
  }
  const value = await host.ui.input({
    title: 'Which account are you moving to?',
    prompt: needToken
      ? 'The new account with an access token for its instance. Create it on the new instance first.'
      : 'The new account: a handle (@user@instance) or versia://user:ACCESS_TOKEN@instance.',
    placeholder: needToken ? 'versia://user:ACCESS_TOKEN@new.instance' : '@user@new.instance',
    password: needToken,
    validate,
  });
  if (value === undefined) throw new CancelledError('Cancelled: nothing was changed.');
  host.remember({ newAccount: value.trim() });
  return parseAccount(value, 'new account');
}

async function moveAction(
  context: MigrationContext,
  host: ActionHost,
  options: VersiaProviderOptions,
): Promise<ActionResult> {
  const old = oldAccountOf(context)!;
  if (!old.token)
    throw new Error(
      `${old.handle} has no access token: connect with versia://${old.username}:ACCESS_TOKEN@${old.domain}.`,
    );
  host.progress.setPhases(['Check', 'Prepare', 'Request', 'Complete']);
  host.progress.phase('Check');
  const target = await askNewAccount(context, host, old, true);
  if (context.extendedProperties.newAccount !== undefined)
    host.remember({ newAccount: context.extendedProperties.newAccount });
  const session = await openSession(options, [old, target], host.cancellation.signal, (note) =>
    host.progress.warn(note),
  );
  return moveAccount(session, old, target, host, options, context.extendedProperties.confirm === 'yes');
}

async function readinessAction(
  context: MigrationContext,
  host: ActionHost,
  options: VersiaProviderOptions,
): Promise<ActionResult> {
  const old = oldAccountOf(context)!;
  host.progress.setPhases(['Choose', 'Check']);
  host.progress.phase('Choose');
  const target = await askNewAccount(context, host, old, false);
  host.begin();
  host.progress.phase('Check');
  const session = await openSession(options, [old, target], host.cancellation.signal, (note) =>
    host.progress.warn(note),
  );
  const sides = await Promise.all([
    checkSide(session.client, old, 'old', options.adapters),
    checkSide(session.client, target, 'new', options.adapters),
  ]);
  sides.forEach((side, i) =>
    host.progress.item({
      id: i === 0 ? 'old' : 'new',
      label: `${i === 0 ? 'Old' : 'New'}: ${side.account.handle}`,
      status: side.problems.length ? 'failed' : 'done',
      detail: side.problems[0],
    }),
  );
  const problems = sides.flatMap((s) => s.problems);
  const stats = sides.flatMap((side, i) =>
    side.checks.map(([check, outcome]) => ({ label: `${i === 0 ? 'Old' : 'New'} · ${check}`, value: outcome })),
  );
  const details: NonNullable<ActionResult['details']> = problems.length
    ? [{ title: 'What is missing', items: problems }]
    : [
        {
          title: 'Checked',
          items: sides.map((s) => `${s.account.handle}: ${s.checks.map(([c, o]) => `${c}: ${o}`).join('; ')}`),
        },
      ];
  if (session.client.notes.length)
    details.push({ title: 'Tolerated deviations from the spec', items: [...session.client.notes] });
  return {
    outcome: 'succeeded',
    // Not ready is an answer, not a success: the window and the CLI show it as such.
    ...(problems.length ? { attention: 'Not ready' } : {}),
    summary: problems.length
      ? `Not ready to move ${old.handle} to ${target.handle}: ${plural(problems.length, 'problem')}.`
      : `Ready: ${old.handle} can be moved to ${target.handle}.`,
    stats,
    details,
  };
}

async function verifyAction(
  context: MigrationContext,
  host: ActionHost,
  options: VersiaProviderOptions,
): Promise<ActionResult> {
  const connected = oldAccountOf(context, false);
  host.progress.setPhases(['Choose', 'Verify']);
  host.progress.phase('Choose');
  let oldText = context.extendedProperties.oldAccount;
  let newText = context.extendedProperties.newHandle ?? context.extendedProperties.newAccount;
  if (oldText === undefined || newText === undefined) {
    const answers = await host.ui.form({
      title: 'Which migration should be verified?',
      description: 'Two accounts, as handles (@user@instance) or references (domain:id).',
      fields: [
        {
          type: 'text',
          id: 'old',
          label: 'Old account',
          value: oldText ?? connected?.handle ?? '',
          placeholder: '@user@old.instance',
          required: true,
        },
        {
          type: 'text',
          id: 'new',
          label: 'New account',
          value: newText ?? '',
          placeholder: '@user@new.instance',
          required: true,
        },
      ],
      submitLabel: 'Verify',
      validate: (values) =>
        accountProblem(String(values.old ?? ''), 'old account') ??
        accountProblem(String(values.new ?? ''), 'new account'),
    });
    if (!answers) throw new CancelledError('Cancelled.');
    oldText = String(answers.old);
    newText = String(answers.new);
    host.remember({ oldAccount: oldText, newHandle: newText });
  }
  host.begin();
  host.progress.phase('Verify');
  const accounts = [oldText, newText]
    .map((t) => (isReference(t) ? undefined : parseAccount(t)))
    .filter((a): a is VersiaAccount => !!a);
  if (connected) accounts.push(connected);
  const session = await openSession(options, accounts, host.cancellation.signal, (note) => host.progress.warn(note));
  const [oldRef, newRef] = await Promise.all(
    [oldText, newText].map((t) =>
      isReference(t) ? parseReferenceText(t) : session.client.webfinger(parseAccount(t).handle),
    ),
  );
  const verdict = await verifyMigration(session.client, oldRef, newRef);
  const label = `${oldText.trim()} → ${newText.trim()}`;
  return {
    outcome: 'succeeded',
    heading: 'Verification finished',
    summary:
      verdict.verified && verdict.completed
        ? `Verified: ${label} is a verified, completed migration.`
        : verdict.verified
          ? `Verified but not completed: ${newText.trim()} names ${oldText.trim()} as previous, but the old account does not point to the new one yet.`
          : `Not a verified migration: ${newText.trim()} does not name ${oldText.trim()} as its previous account.`,
    stats: [
      { label: 'Verified (new → previous)', value: verdict.verified ? 'yes' : 'no' },
      { label: 'Completed (old → new)', value: verdict.completed ? 'yes' : 'no' },
      { label: 'Old account', value: oldRef },
      { label: 'New account', value: newRef },
    ],
    details: [{ title: 'Findings', items: verdict.findings }],
  };
}

function isReference(text: string): boolean {
  return !text.includes('@') && text.includes(':') && !/^versia/i.test(text.trim());
}

function parseReferenceText(text: string): string {
  const ref = parseReference(text);
  return `${ref.domain}:${ref.id}`;
}

function accountProblem(text: string, what: string): string | undefined {
  try {
    if (isReference(text)) parseReference(text);
    else parseAccount(text, what);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/**
 * `cutover versia-check --account ACCOUNT --new ACCOUNT`: the Versia provider's "Check readiness" without the
 * window. Exit code 0 when ready, 1 when not ready (or the check failed), 2 on bad arguments.
 */
import { printJobSummary, runHeadlessJob } from '../headless-job';
import type { CliCommand } from '../command';
import { parseOptions, usageOf, type CommandSpec, type OptionTable } from '../options';

/** The options of `cutover versia-check`: parsed, checked and listed in its usage text from here. */
const VERSIA_CHECK = {
  synopsis: 'cutover versia-check --account ACCOUNT --new ACCOUNT [--json] [--data-dir DIR]',
  description: `Checks whether a Versia account can be moved: both instances speak Versia v0.6 and list
pub.versia:migration, Cutover has an adapter for their software, and both accounts resolve.
Prints what is missing; exits 1 when not ready.`,
  options: {
    account: {
      type: 'string',
      arg: 'ACCOUNT',
      help: 'the old account: versia://user[:TOKEN]@instance (versia+http:// for a local instance)',
      required: 'the Versia account to move (versia://user@instance)',
    },
    new: {
      type: 'string',
      arg: 'ACCOUNT',
      help: 'the new account: @user@instance or versia://user[:TOKEN]@instance',
      required: 'the account to move to (@user@instance)',
    },
    json: { type: 'boolean', help: 'print a JSON summary on stdout' },
    'data-dir': { type: 'string', arg: 'DIR', help: "where job records go (default: Cutover's app data folder)" },
  },
} satisfies CommandSpec<OptionTable>;

export const versiaCheckCommand: CliCommand = {
  name: 'versia-check',
  usage: usageOf(VERSIA_CHECK),
  async run(argv, io) {
    const { values } = parseOptions(VERSIA_CHECK, argv);
    const result = await runHeadlessJob(io, {
      dataDir: values['data-dir'],
      sourceUri: values.account,
      providerId: 'versia-migration',
      actionId: 'check-readiness',
      context: { extendedProperties: { newAccount: values.new } },
    });
    printJobSummary(io, values.json ?? false, result.snapshot, result.summary);
    return result.ok ? 0 : 1;
  },
};

/**
 * `cutover versia-check --account ACCOUNT --new ACCOUNT`: the Versia provider's "Check readiness" without the
 * window. Exit code 0 when ready, 1 when not ready (or the check failed), 2 on bad arguments.
 */
import { parseArgs } from 'node:util';
import { printJobSummary, runHeadlessJob } from '../headless-job';
import { asUsage, parseArgsMessage, UsageError, type CliCommand } from '../command';

const USAGE = `Usage: cutover versia-check --account ACCOUNT --new ACCOUNT [--json] [--data-dir DIR]

Checks whether a Versia account can be moved: both instances speak Versia v0.6 and list
pub.versia:migration, Cutover has an adapter for their software, and both accounts resolve.
Prints what is missing; exits 1 when not ready.

Options:
  --account ACCOUNT         the old account: versia://user[:TOKEN]@instance (versia+http:// for a local instance)
  --new ACCOUNT             the new account: @user@instance or versia://user[:TOKEN]@instance
  --json                    print a JSON summary on stdout
  --data-dir DIR            where job records go (default: Cutover's app data folder)
  -h, --help                this help`;

export const versiaCheckCommand: CliCommand = {
  name: 'versia-check',
  usage: USAGE,
  async run(argv, io) {
    const { values } = asUsage(
      () =>
        parseArgs({
          args: argv,
          strict: true,
          allowPositionals: false,
          options: { account: { type: 'string' }, new: { type: 'string' }, json: { type: 'boolean', default: false }, 'data-dir': { type: 'string' } },
        }),
      parseArgsMessage,
    );
    if (!values.account) throw new UsageError('Missing --account: the Versia account to move (versia://user@instance).');
    if (!values.new) throw new UsageError('Missing --new: the account to move to (@user@instance).');
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

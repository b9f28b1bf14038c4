/**
 * `cutover history [--json]`: the jobs recorded in Cutover's data folder, newest first, as the History
 * screen lists them. A job left running by a process that has ended (killed, crashed) shows as
 * interrupted: run the same command again to resume it.
 */
import type { JobRecord } from '../../../preload/contract';
import { redactSecretsInText } from '../../core/connection-string';
import type { CliCommand } from '../command';
import { parseOptions, usageOf, type CommandSpec, type OptionTable } from '../options';
import { headlessCore } from '../headless-job';
import { loadBuiltinProviders } from '../../../providers/builtin-loaders';

/** The options of `cutover history`: parsed and listed in its usage text from here. */
const HISTORY = {
  synopsis: 'cutover history [--json] [--data-dir DIR]',
  description: `Lists the recorded jobs, newest first: when each started, its state (interrupted: left running by a
Cutover process that has ended; run the same command again to resume), documents and summary.`,
  options: {
    json: { type: 'boolean', help: 'one JSON array of the records' },
    'data-dir': {
      type: 'string',
      arg: 'DIR',
      help: "Cutover's data folder (default: CUTOVER_DATA_DIR or the platform's app data folder)",
    },
  },
} satisfies CommandSpec<OptionTable>;

export const HISTORY_USAGE = usageOf(HISTORY);

export const historyCommand: CliCommand = {
  name: 'history',
  usage: HISTORY_USAGE,
  async run(argv, io) {
    const { values } = parseOptions(HISTORY, argv);
    const core = headlessCore(values['data-dir'], await loadBuiltinProviders());
    try {
      const listed = await core.dispatch('history.list', {});
      if (!listed.ok) {
        io.stderr.write(`cutover history: ${listed.error.message}\n`);
        return 1;
      }
      const records = listed.value as JobRecord[];
      if (values.json) {
        io.stdout.write(`${JSON.stringify(records, null, 2)}\n`);
        return 0;
      }
      if (!records.length) io.stdout.write('No jobs recorded yet.\n');
      for (const r of records) {
        const state = r.interrupted ? 'interrupted' : r.state;
        io.stdout.write(
          `${new Date(r.startedAt).toISOString()}  ${state.padEnd(11)}  ${r.docs.toLocaleString('en-US')} docs  ${redactSecretsInText(r.title)}\n`,
        );
        if (r.summary) io.stdout.write(`  ${redactSecretsInText(r.summary)}\n`);
      }
      return 0;
    } finally {
      await core.shutdown();
    }
  },
};

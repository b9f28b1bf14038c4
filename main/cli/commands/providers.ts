/**
 * `cutover providers install <dir|tgz> | list | remove <id> | enable <id> | disable <id> | run <id>`:
 * third-party providers in Cutover's data folder. Installing checks the manifest and the administrator's
 * policy and runs none of the provider's code. `run` needs the person's consent: `--allow-provider ID`,
 * the policy listing the id, or a yes on the terminal; without a terminal it never waits for an answer.
 */
import { createInterface } from 'node:readline/promises';
import { redactSecretsInText } from '../../core/connection-string';
import { defaultDataDir } from '../../core/data-dir';
import { ProviderPlatform } from '../../core/providers/platform';
import type { ConsentAsker } from '../../core/providers/isolated-provider';
import type { InstalledProviderInfo } from '../../core/providers/platform';
import { builtinProviders } from '../../../providers/builtin';
import { givenPresets, UsageError, type CliCommand, type CliIo } from '../command';
import { parseOptions, usageOf, type CommandSpec, type OptionTable } from '../options';
import { printJobSummary, runHeadlessJob } from '../headless-job';

/** The options of `cutover providers`: parsed and listed in its usage text from here. */
const PROVIDERS = {
  synopsis: 'cutover providers <install|list|remove|enable|disable|run> [options]',
  description: `  install <dir|tgz>   install (or replace) a provider from a folder or an "npm pack" tarball
  list [--json]       the installed providers: publisher, version, declared needs, state
  remove <id>         uninstall a provider (its data folder is kept)
  enable <id>         offer it again
  disable <id>        keep it installed, but do not offer or run it
  run <id> [--action ID] [--uri URI] [--db NAME] [--collection NAME] [--set KEY=VALUE ...] [--json]
                      run one of its actions; prompts are not answered, give what it needs with --set`,
  positionals: 'allow',
  options: {
    'allow-provider': {
      type: 'string',
      multiple: true,
      arg: 'ID',
      help: 'allow this provider to run (its needs are listed by "list"); may be repeated',
    },
    action: { type: 'string', arg: 'ID', help: 'run: the action to run' },
    uri: { type: 'string', arg: 'URI', help: 'run: the connection it works on' },
    db: { type: 'string', arg: 'NAME', help: 'run: the database selected' },
    collection: { type: 'string', arg: 'NAME', help: 'run: the collection selected' },
    set: { type: 'string', multiple: true, arg: 'KEY=VALUE', help: 'run: a preset answer; may be repeated' },
    json: { type: 'boolean', help: 'print JSON on stdout' },
    'data-dir': {
      type: 'string',
      arg: 'DIR',
      help: "Cutover's data folder (default: CUTOVER_DATA_DIR or the platform's app data folder)",
    },
  },
  footer: `The administrator's policy (CUTOVER_POLICY, else the system path) may allow only listed providers,
pinned to a package hash; it is checked at install and before every run.`,
} satisfies CommandSpec<OptionTable>;

export const PROVIDERS_USAGE = usageOf(PROVIDERS);

function describe(p: InstalledProviderInfo): string {
  const state = p.blockedReason
    ? 'blocked by policy'
    : !p.enabled
      ? 'disabled'
      : p.allowed
        ? 'enabled, allowed'
        : 'enabled, not yet allowed';
  return [
    `${p.id}  ${p.label} ${p.version} by ${p.publisher}  (${state})`,
    ...(p.description ? [`  ${p.description}`] : []),
    `  works with: ${p.connectionKinds.length ? p.connectionKinds.join(', ') : 'no connection'}${p.shape === 'documentdb-v0.3' ? '  (DocumentDB v0.3 shape)' : ''}`,
    ...p.needs.map((n) => `  needs: ${n}`),
    `  sha256: ${p.sha256}`,
    ...(p.blockedReason ? [`  ${p.blockedReason}`] : []),
  ].join('\n');
}

/** A yes/no on the terminal when there is one; without one, a refusal at once that says what to give. */
function terminalConsent(io: CliIo): ConsentAsker {
  if (!process.stdin.isTTY) {
    return async (r) => {
      throw new Error(
        `Provider "${r.id}" has not been allowed to run: allow it (cutover … --allow-provider ${r.id}) or ask the administrator to list it in the policy.`,
      );
    };
  }
  return async (r) => {
    const rl = createInterface({ input: process.stdin, output: io.stderr, terminal: false });
    try {
      const answer = await rl.question(
        `Allow the provider "${r.label}" (${r.publisher}, ${r.version}) to run?\n  ${r.needs.join('\n  ')}\n  It runs in its own process (crash isolation, not a sandbox). [y/N] `,
      );
      return /^(y|yes)$/i.test(answer.trim());
    } finally {
      rl.close();
    }
  };
}

export const providersCommand: CliCommand = {
  name: 'providers',
  usage: PROVIDERS_USAGE,
  async run(argv, io) {
    const { values, positionals } = parseOptions(PROVIDERS, argv);
    const [sub, target, ...extra] = positionals;
    if (!sub) throw new UsageError('Say what to do: install, list, remove, enable, disable or run.');
    if (extra.length) throw new UsageError(`Unexpected argument "${redactSecretsInText(extra[0])}".`);
    const dataDir = values['data-dir'] ?? defaultDataDir();
    const platform = new ProviderPlatform({ dataDir });
    const builtinIds = new Set(builtinProviders().map((p) => p.id));
    const need = (what: string) => {
      if (!target) throw new UsageError(`"providers ${sub}" needs ${what}.`);
      return target;
    };
    try {
      switch (sub) {
        case 'install': {
          const installed = await platform.install(need('a folder or a tarball'), builtinIds);
          io.stdout.write(
            values.json ? `${JSON.stringify(installed, null, 2)}\n` : `Installed:\n${describe(installed)}\n`,
          );
          return 0;
        }
        case 'list': {
          if (target) throw new UsageError('"providers list" takes no argument.');
          const listed = await platform.list();
          if (values.json) io.stdout.write(`${JSON.stringify(listed, null, 2)}\n`);
          else io.stdout.write(listed.length ? `${listed.map(describe).join('\n\n')}\n` : 'No providers installed.\n');
          return 0;
        }
        case 'remove':
          await platform.remove(need('the id of an installed provider'));
          io.stdout.write(`Removed ${target}.\n`);
          return 0;
        case 'enable':
        case 'disable': {
          const changed = await platform.setEnabled(need('the id of an installed provider'), sub === 'enable');
          io.stdout.write(`${describe(changed)}\n`);
          return 0;
        }
        case 'run': {
          const id = need('the id of an installed provider');
          const sets = givenPresets(
            Object.fromEntries(
              (values.set ?? []).map((pair) => {
                const at = pair.indexOf('=');
                if (at < 1) throw new UsageError(`--set takes KEY=VALUE, not "${redactSecretsInText(pair)}".`);
                return [pair.slice(0, at), pair.slice(at + 1)];
              }),
            ),
          );
          const result = await runHeadlessJob(io, {
            dataDir,
            sourceUri: values.uri,
            providerId: id,
            actionId: values.action,
            context: { databaseName: values.db, collectionName: values.collection, extendedProperties: sets },
            installedProviders: { preAllowed: values['allow-provider'] ?? [], consent: terminalConsent(io) },
          });
          if (result.snapshot || values.json) printJobSummary(io, !!values.json, result.snapshot, result.summary);
          return result.ok ? 0 : 1;
        }
        default:
          throw new UsageError(
            `Unknown "providers ${redactSecretsInText(sub)}": use install, list, remove, enable, disable or run.`,
          );
      }
    } catch (error) {
      if (error instanceof UsageError) throw error;
      io.stderr.write(`cutover providers: ${redactSecretsInText((error as Error).message)}\n`);
      return 1;
    }
  },
};

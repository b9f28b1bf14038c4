/**
 * The core's calls about providers and jobs: which providers fit where the person is and their actions,
 * starting a job (a dropped file's import gets its path here, never from the window), cancel, pause and
 * resume, the log, History and its Run again (from the sealed record), and the answers and previews of
 * a job's prompts.
 */
import type { z } from 'zod';
import type { MigrationContext, MigrationProvider } from '../../providers/api/index';
import type { calls } from '../../preload/contract';
import { BadRequestError, NotFoundError } from '../../providers/api/errors';
import type { Handlers } from './call-handlers';
import { parseConnectionString } from './connection-string';
import type { Connections } from './connections';
import type { DroppedFiles } from './dropped-files';
import type { JobHistory } from './job-history';
import type { JobRunner } from './job-runner';
import type { ProviderRegistry } from './registry';
import type { SecretStore } from './secret-store';

type JobCallName =
  | 'providers.list'
  | 'providers.actions'
  | 'jobs.start'
  | 'jobs.cancel'
  | 'jobs.pause'
  | 'jobs.resume'
  | 'jobs.log'
  | 'jobs.list'
  | 'history.list'
  | 'history.rerun'
  | 'prompts.answer'
  | 'prompts.preview';

export interface JobCallsOptions {
  registry: ProviderRegistry;
  runner: JobRunner;
  connections: Connections;
  drops: DroppedFiles;
  history?: JobHistory;
  secrets?: SecretStore;
  /** Tells the windows the open connections changed (a re-run opens its connection). */
  connectionsChanged(): void;
}

export function jobCalls({
  registry,
  runner,
  connections,
  drops,
  history,
  secrets,
  connectionsChanged,
}: JobCallsOptions): Pick<Handlers, JobCallName> {
  function resolveContext(ref: z.output<(typeof calls)['providers.list']['request']>['context']): MigrationContext {
    const base = {
      databaseName: ref.databaseName,
      collectionName: ref.collectionName,
      extendedProperties: ref.extendedProperties ?? {},
    };
    if (!ref.connectionId) return { ...base, authenticated: false };
    return { ...base, ...connections.context(ref.connectionId) };
  }

  function requireProvider(id: string): MigrationProvider {
    const provider = registry.get(id);
    if (!provider) throw new NotFoundError(`No migration provider "${id}".`);
    return provider;
  }

  function requireAvailable(providerId: string, context: MigrationContext): MigrationProvider {
    const provider = requireProvider(providerId);
    const availability = registry.availability(context).find((a) => a.provider === provider);
    if (availability && !availability.available)
      throw new BadRequestError(`${provider.label}: ${availability.unavailableReason}`);
    return provider;
  }

  return {
    'providers.list': async ({ context }) =>
      registry.availability(resolveContext(context)).map(({ provider, available, unavailableReason }) => ({
        id: provider.id,
        label: provider.label,
        description: provider.description,
        icon: provider.icon,
        learnMoreUrl: provider.learnMoreUrl,
        requiresAuthentication: provider.requiresAuthentication ?? false,
        appliesTo: provider.appliesTo,
        available,
        unavailableReason,
      })),
    'providers.actions': async ({ providerId, context }) => {
      const resolved = resolveContext(context);
      const provider = requireAvailable(providerId, resolved);
      return { actions: await registry.actions(provider, resolved) };
    },
    'jobs.start': async ({ providerId, actionId, context }) => {
      const resolved = resolveContext(context);
      const provider = requireAvailable(providerId, resolved);
      const actions = await registry.actions(provider, resolved);
      let title = provider.label;
      if (actions.length === 0) {
        if (actionId)
          throw new BadRequestError(`${provider.label} has no actions to choose from: start it without one.`);
        if (provider.requiresAuthentication && !resolved.authenticated)
          throw new BadRequestError(`${provider.label} needs a connection with credentials the server accepted.`);
      } else {
        const action = actions.find((a) => a.id === actionId);
        if (!action)
          throw new BadRequestError(
            actionId ? `${provider.label} has no action "${actionId}".` : `Choose one of ${provider.label}'s actions.`,
          );
        if (action.disabledReason) throw new BadRequestError(`${action.label}: ${action.disabledReason}`);
        title = action.label;
      }
      const where = [resolved.databaseName, resolved.collectionName].filter(Boolean).join('.');
      if (context.dropId)
        resolved.extendedProperties = {
          ...resolved.extendedProperties,
          ...(await drops.presets(context.dropId, providerId, actionId)),
        };
      const jobId = runner.start(provider, actionId, resolved, where ? `${title}: ${where}` : title);
      drops.noteImport(jobId, resolved.extendedProperties.file);
      return { jobId };
    },
    'jobs.cancel': async ({ jobId }) => {
      runner.cancel(jobId);
      return {};
    },
    'jobs.pause': async ({ jobId }) => {
      runner.pause(jobId);
      return {};
    },
    'jobs.resume': async ({ jobId }) => {
      runner.resume(jobId);
      return {};
    },
    'jobs.log': ({ jobId }) => runner.log(jobId),
    'jobs.list': async () => runner.list(),
    'history.list': async () => {
      const live = new Map(runner.list().map((s) => [s.jobId, s]));
      const records = history ? await history.list(new Set(live.keys())) : [];
      return records.map(({ rerun: _rerun, ...record }) => {
        const now = live.get(record.jobId);
        return now
          ? {
              ...record,
              state: now.state,
              docs: now.docs,
              bytes: now.bytes,
              summary: now.summary,
              stats: now.stats,
              details: now.details,
              endedAt: now.endedAt,
            }
          : record;
      });
    },
    'history.rerun': async ({ jobId }) => {
      const record = await history?.get(jobId);
      if (!record?.rerun || !secrets)
        throw new NotFoundError('This job cannot be run again: its record is missing or holds no parameters.');
      if (runner.list().some((s) => s.jobId === jobId && (s.state === 'running' || s.state === 'paused')))
        throw new BadRequestError('This job is still running.');
      const { uri, parameters } = JSON.parse(secrets.open(record.rerun.sealed)) as {
        uri?: string;
        parameters: Record<string, string>;
      };
      const provider = requireProvider(record.rerun.providerId);
      const connection = uri ? connections.add(parseConnectionString(uri), record.rerun.connectionName) : undefined;
      if (connection) connectionsChanged();
      const context: MigrationContext = {
        ...(connection ? connections.context(connection.id) : { authenticated: false }),
        databaseName: record.rerun.databaseName,
        collectionName: record.rerun.collectionName,
        extendedProperties: parameters,
      };
      const rerunId = runner.start(provider, record.rerun.actionId, context, record.title);
      drops.noteImport(rerunId, parameters.file);
      return { jobId: rerunId };
    },
    'prompts.answer': async ({ jobId, promptId, value }) => {
      runner.answer(jobId, promptId, value);
      return {};
    },
    'prompts.preview': async ({ jobId, promptId, mapping, collection }) =>
      runner.preview(jobId, promptId, mapping, collection),
  };
}

/**
 * The ActionHost a provider gets for one job: its UI port (./ui-port-adapter.ts), its progress port (into
 * the job's tracker, log and throttled snapshots), its pause and cancellation tokens, where its data goes,
 * what it remembers for a re-run and the choices it keeps for next time.
 */
import { cancellationFromSignal, type ActionHost, type PauseToken } from '../../../providers/api/index';
import { redactSecretsInText } from '../connection-string';
import type { Job } from './job-state';
import type { JobRunnerOptions } from './runner-options';
import { uiPortFor } from './ui-port-adapter';

export function actionHostFor(job: Job, options: JobRunnerOptions): ActionHost {
  const pause: PauseToken = {
    get isPaused() {
      return job.state === 'paused';
    },
    onPauseChanged(listener) {
      job.pauseListeners.add(listener);
      return () => job.pauseListeners.delete(listener);
    },
  };
  // A provider that does not signal begins with its first progress phase, count or item.
  const progressBegins = () => {
    if (!job.provider.signalsBegin) job.beginWork();
  };
  return {
    ui: uiPortFor(job, options),
    cancellation: cancellationFromSignal(job.abort.signal),
    pause,
    begin: () => job.beginWork(),
    lastChoices: async (key) => options.choices?.get(job.provider.id, key).catch(() => undefined),
    keepChoices: (key, values) => {
      void options.choices
        ?.keep(job.provider.id, key, values)
        .catch((error: Error) => job.log('warning', `Could not keep the choices for next time: ${error.message}`));
    },
    route: (route) => {
      const text = (value: string | undefined) =>
        value === undefined ? undefined : redactSecretsInText(value).slice(0, 500);
      job.route = {
        from: text(route.from) ?? job.route?.from ?? '',
        to: text(route.to),
        ...(route.format ? { format: text(route.format) } : {}),
      };
      job.changed(true);
      void job.saveRecord();
    },
    remember: (parameters) => {
      job.parameters = { ...job.parameters, ...parameters };
      void job.saveRecord();
    },
    progress: {
      setPhases: (phases) => {
        job.tracker.setPhases(phases);
        job.changed();
      },
      phase: (name) => {
        progressBegins();
        job.tracker.setPhase(name);
        job.log('info', `Phase: ${name}`);
        job.changed(true);
      },
      update: (counts) => {
        progressBegins();
        job.stalled = undefined;
        job.tracker.update(counts);
        job.changed();
      },
      item: (item) => {
        progressBegins();
        job.tracker.item(item);
        job.changed();
      },
      warn: (message) => {
        job.tracker.warn(redactSecretsInText(message));
        job.log('warning', message);
        job.changed();
      },
      error: (message) => {
        job.tracker.error(redactSecretsInText(message));
        job.log('error', message);
        job.changed();
      },
      stalled: (reason) => {
        const text = reason ? redactSecretsInText(reason) : undefined;
        if (text === job.stalled) return;
        job.stalled = text;
        if (text) job.log('warning', text);
        job.changed(true);
      },
    },
  };
}

/** Shared by the files provider's tests: run an action through the core like the window does. */
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createCore, type CutoverCore } from '../../main/core/app-core';
import type { JobSnapshot, Prompt } from '../../preload/contract';
import { createFilesProvider } from './index';

export async function tempDir(label: string): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), `cutover-files-${label}-`));
}

export interface FilesActionOptions {
  uri: string;
  db: string;
  coll?: string;
  action: 'import' | 'export';
  presets: Record<string, string>;
  dataDir: string;
  onPrompt?: (prompt: Prompt) => unknown;
}

/** Starts an action through the core and returns at once, for tests that act on the running job (pause). */
export async function startFilesAction(opts: FilesActionOptions): Promise<{
  core: CutoverCore;
  jobId: string;
  prompts: Prompt[];
  snapshot(): JobSnapshot;
  done: Promise<JobSnapshot>;
}> {
  const core = createCore({
    providers: [createFilesProvider({ dataDir: opts.dataDir })],
    shell: 'browser',
    version: 'test',
    progressThrottleMs: 50,
  });
  const prompts: Prompt[] = [];
  core.onEvent((name, payload) => {
    if (name !== 'job.prompt') return;
    const prompt = payload as Prompt;
    prompts.push(prompt);
    const value = opts.onPrompt?.(prompt);
    void core.dispatch('prompts.answer', {
      jobId: prompt.jobId,
      promptId: prompt.promptId,
      value: value === null ? undefined : value,
    });
  });
  try {
    const opened = await core.dispatch('connections.open', { uri: opts.uri });
    if (!opened.ok) throw new Error(opened.error.message);
    const connectionId = (opened.value as { id: string }).id;
    const started = await core.dispatch('jobs.start', {
      providerId: 'files',
      actionId: opts.action,
      context: { connectionId, databaseName: opts.db, collectionName: opts.coll, extendedProperties: opts.presets },
    });
    if (!started.ok) throw new Error(started.error.message);
    const jobId = (started.value as { jobId: string }).jobId;
    const snapshot = () => core.runner.list().find((job) => job.jobId === jobId)!;
    const done = core.runner.whenDone(jobId).finally(() => core.shutdown());
    return { core, jobId, prompts, snapshot, done };
  } catch (error) {
    await core.shutdown();
    throw error;
  }
}

export async function runFilesAction(opts: FilesActionOptions): Promise<{ done: JobSnapshot; prompts: Prompt[] }> {
  const { prompts, done } = await startFilesAction(opts);
  return { done: await done, prompts };
}

export function stat(done: JobSnapshot, label: string): string | undefined {
  return done.stats?.find((s) => s.label === label)?.value;
}

export { everyTypeDocument } from '../../testkit/bson-samples';

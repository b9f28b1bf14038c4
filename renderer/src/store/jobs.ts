/** Jobs of this run: live snapshots from `job.updated`, seeded by `jobs.list`. */
import { create } from 'zustand';
import type { JobRecord, JobSnapshot, JobState } from '../../../preload/contract';
import { api, messageOf } from '../api';
import { IDLE, LOADING, failed, ready, type Load } from '../load';
import { announce } from './announcer';
import { percentOf } from '../format';
import { useUi } from './ui';
import { useConnections } from './connections';

interface JobsState {
  jobs: Record<string, JobSnapshot>;
  /** Job ids, newest first. */
  order: string[];
  /** Job ids whose cancel request is in flight. */
  cancelling: Record<string, boolean>;
  cancelErrors: Record<string, string>;
  /** Recorded jobs of this and earlier runs (history.list), by id. */
  records: Record<string, JobRecord>;
  /** Whether the records have been read (they stay in `records` while they are read again). */
  history: Load<true>;
  load(): Promise<void>;
  loadHistory(): Promise<void>;
  upsert(snapshot: JobSnapshot): void;
  cancel(jobId: string): Promise<void>;
  /** Pauses or resumes; returns an error message on failure. */
  setPaused(jobId: string, paused: boolean): Promise<string | undefined>;
  /** Runs a recorded job again; returns the new job id. */
  rerun(jobId: string): Promise<string>;
}

export const TERMINAL: ReadonlySet<JobState> = new Set(['succeeded', 'failed', 'cancelled']);
export const isActive = (state: JobState): boolean => !TERMINAL.has(state);
/** A job that began (a plan still asking its questions, or given up, is not one: not in the lists nor History). */
export const isBegun = (job: Pick<JobSnapshot, 'planning'> | undefined): boolean => !!job && !job.planning;
/** "Source · shop.orders → backup:27017 · shop.orders (CSV)": where the data went. */
export function routeText(route: JobSnapshot['route']): string | undefined {
  if (!route) return undefined;
  const to = route.to ? ` → ${route.to}` : '';
  return `${route.from}${to}${route.format ? ` (${route.format})` : ''}`;
}
/** Seconds of work: from the start to the end (or now), less the time spent waiting for answers. */
export function workSeconds(
  job: Pick<JobSnapshot, 'startedAt' | 'endedAt' | 'waitedMs'>,
  now?: number,
): number | undefined {
  const end = job.endedAt ?? now;
  return end === undefined ? undefined : Math.max(0, end - job.startedAt - (job.waitedMs ?? 0)) / 1000;
}

/** The heading of a finished job: the provider's own ("Copy finished"), else "Migration finished"; "Cancelled", "Failed". */
export function resultHeading(job: Pick<JobSnapshot, 'state' | 'heading'>): string {
  if (job.state === 'cancelled') return 'Cancelled';
  if (job.state === 'failed') return 'Failed';
  if (job.state === 'succeeded') return job.heading ?? 'Migration finished';
  return job.state === 'paused' ? 'Paused' : 'Running';
}

/** 0..100 by documents (else bytes); 100 once succeeded; undefined when totals are unknown. */
export function overallPercent(job: JobSnapshot): number | undefined {
  if (job.state === 'succeeded') return 100;
  return percentOf(job.docs, job.totalDocs) ?? percentOf(job.bytes, job.totalBytes);
}

function sortOrder(jobs: Record<string, JobSnapshot>): string[] {
  return Object.values(jobs)
    .sort((a, b) => b.startedAt - a.startedAt)
    .map((job) => job.jobId);
}

export const useJobs = create<JobsState>((set, get) => ({
  jobs: {},
  order: [],
  cancelling: {},
  cancelErrors: {},
  records: {},
  history: IDLE,

  async loadHistory() {
    set({ history: LOADING });
    try {
      const list = await api().call('history.list', {});
      set({ records: Object.fromEntries(list.map((record) => [record.jobId, record])), history: ready(true as const) });
    } catch (error) {
      set({ history: failed(error) });
    }
  },

  async setPaused(jobId, paused) {
    try {
      await api().call(paused ? 'jobs.pause' : 'jobs.resume', { jobId });
      announce(paused ? 'Paused' : 'Resumed');
      return undefined;
    } catch (error) {
      return messageOf(error);
    }
  },

  async rerun(jobId) {
    const { jobId: newId } = await api().call('history.rerun', { jobId });
    announce('Migration started again');
    return newId;
  },

  async load() {
    const list = await api().call('jobs.list', {});
    set((state) => {
      const jobs = { ...state.jobs };
      // A live update may already be newer than the listed snapshot: keep whichever is further along.
      for (const job of list) {
        const live = jobs[job.jobId];
        if (!live || (isActive(live.state) && !isActive(job.state))) jobs[job.jobId] = job;
      }
      return { jobs, order: sortOrder(jobs) };
    });
  },

  upsert(snapshot) {
    const previous = get().jobs[snapshot.jobId];
    set((state) => {
      const jobs = { ...state.jobs, [snapshot.jobId]: snapshot };
      const cancelling = { ...state.cancelling };
      if (!isActive(snapshot.state)) delete cancelling[snapshot.jobId];
      return { jobs, order: previous ? state.order : sortOrder(jobs), cancelling };
    });
    if (previous?.state !== snapshot.state && !isActive(snapshot.state) && snapshot.planning) {
      // A plan given up: nothing was started, nothing is kept; back to where the person was.
      announce('Nothing was started.');
      const { view, navigate } = useUi.getState();
      if (view.name === 'job' && view.jobId === snapshot.jobId) {
        const { connectionId } = useConnections.getState().selection;
        navigate(connectionId ? { name: 'connection', connectionId } : { name: 'connect' });
      }
      return;
    }
    if (previous?.state !== snapshot.state && !isActive(snapshot.state)) {
      // An import or a copy may have written into an open connection: its tree is read again.
      const { browse, loadBrowse } = useConnections.getState();
      for (const [connectionId, state] of Object.entries(browse))
        if (state?.status === 'ready') void loadBrowse(connectionId);
      announce(
        `${snapshot.state === 'succeeded' && snapshot.attention ? snapshot.attention : resultHeading(snapshot)}: ${snapshot.summary ?? snapshot.title}`,
      );
      // The record on disk now holds the outcome (and whether it can be run again).
      if (get().history.status !== 'idle') void get().loadHistory();
    }
  },

  async cancel(jobId) {
    set((state) => {
      const cancelErrors = { ...state.cancelErrors };
      delete cancelErrors[jobId];
      return { cancelling: { ...state.cancelling, [jobId]: true }, cancelErrors };
    });
    announce('Cancelling…');
    try {
      await api().call('jobs.cancel', { jobId });
    } catch (error) {
      set((state) => {
        const cancelling = { ...state.cancelling };
        delete cancelling[jobId];
        return {
          cancelling,
          cancelErrors: { ...state.cancelErrors, [jobId]: error instanceof Error ? error.message : String(error) },
        };
      });
    }
  },
}));

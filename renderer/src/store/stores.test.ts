/**
 * The renderer's stores against a fake core built with the real client over an in-memory transport
 * (answers are validated by the contract exactly as in the app).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { createClient, type Transport } from '../../../preload/client';
import type { CallName, CallOutcome, JobSnapshot, Prompt } from '../../../preload/contract';
import { setApiForTests } from '../api';
import { usePrompts } from './prompts';
import { resultHeading, useJobs } from './jobs';
import { useMigrate } from './migrate';
import { useConnections } from './connections';
import { useUi } from './ui';
import { useIntake } from './intake';
import { useSaved } from './saved';

/** A fake handler; `never` lets each one declare the payload it reads. */
type Handler = (payload: never) => unknown;

function fakeCore(handlers: Partial<Record<CallName, Handler>>) {
  const calls: Array<{ name: CallName; payload: unknown }> = [];
  const transport: Transport = {
    async invoke(name, payload): Promise<CallOutcome<unknown>> {
      calls.push({ name, payload });
      const handler = handlers[name];
      if (!handler) return { ok: false, error: { code: 'not_found', message: `no ${name}` } };
      try {
        return { ok: true, value: await handler(payload as never) };
      } catch (error) {
        return { ok: false, error: { code: 'failed', message: (error as Error).message } };
      }
    },
    subscribe: () => () => undefined,
  };
  setApiForTests(createClient(transport));
  return calls;
}

const snapshot = (over: Partial<JobSnapshot> = {}): JobSnapshot => ({
  jobId: 'j1',
  providerId: 'p',
  providerLabel: 'P',
  title: 'Copy this collection: shop.orders',
  state: 'running',
  phases: [],
  docs: 0,
  bytes: 0,
  docsPerSecond: 0,
  bytesPerSecond: 0,
  items: [],
  warnings: [],
  errors: [],
  droppedMessages: 0,
  startedAt: 1,
  ...over,
});

const input = (over: Partial<Extract<Prompt, { kind: 'input' }>> = {}): Prompt => ({
  jobId: 'j1',
  promptId: 'q1',
  title: 'Target?',
  kind: 'input',
  ...over,
});

beforeEach(() => {
  usePrompts.setState({ queue: [], answering: undefined, answerError: undefined });
  useJobs.setState({ jobs: {}, order: [], cancelling: {}, cancelErrors: {}, records: {}, history: { status: 'idle' } });
  useMigrate.setState({
    context: { extendedProperties: {} },
    providers: { status: 'idle' },
    actions: { status: 'idle' },
    provider: undefined,
    starting: undefined,
    startError: undefined,
  });
  useConnections.setState({ connections: [], browse: {}, selection: {} });
  useUi.setState({ view: { name: 'connect' } });
  useIntake.setState({ entries: [], busy: 0 });
});

describe('prompts', () => {
  it('answers and removes a prompt; dismissing sends no value', async () => {
    const calls = fakeCore({ 'prompts.answer': () => ({}) });
    usePrompts.getState().add(input());
    usePrompts.getState().add(input({ promptId: 'q2' }));
    await usePrompts.getState().answer(usePrompts.getState().queue[0], 'mongodb://x');
    expect(calls[0].payload).toEqual({ jobId: 'j1', promptId: 'q1', value: 'mongodb://x' });
    expect(usePrompts.getState().queue.map((p) => p.promptId)).toEqual(['q2']);
    await usePrompts.getState().answer(usePrompts.getState().queue[0], undefined);
    expect(calls[1].payload).toEqual({ jobId: 'j1', promptId: 'q2' });
    expect(usePrompts.getState().queue).toEqual([]);
  });

  it('keeps a prompt that was asked again (with an error) while the answer was in flight', async () => {
    let release!: () => void;
    fakeCore({ 'prompts.answer': () => new Promise((resolve) => (release = () => resolve({}))) });
    const first = input();
    usePrompts.getState().add(first);
    const answering = usePrompts.getState().answer(first, 'bad');
    await Promise.resolve();
    usePrompts.getState().add(input({ error: 'Not a MongoDB connection string' }));
    release();
    await answering;
    const queue = usePrompts.getState().queue;
    expect(queue).toHaveLength(1);
    expect(queue[0].kind === 'input' && queue[0].error).toBe('Not a MongoDB connection string');
    expect(usePrompts.getState().answering).toBeUndefined();
  });

  it('shows the error when an answer cannot be sent, and promptClosed removes the prompt', async () => {
    fakeCore({ 'prompts.answer': () => Promise.reject(new Error('job is gone')) });
    usePrompts.getState().add(input());
    await usePrompts.getState().answer(usePrompts.getState().queue[0], 'x');
    expect(usePrompts.getState().answerError).toBe('job is gone');
    usePrompts.getState().remove('j1', 'q1');
    expect(usePrompts.getState().queue).toEqual([]);
    expect(usePrompts.getState().answerError).toBeUndefined();
  });
});

describe('jobs', () => {
  it('orders newest first and keeps the live snapshot over an older listed one', async () => {
    fakeCore({
      'jobs.list': () => [snapshot({ jobId: 'a', startedAt: 5, docs: 1 }), snapshot({ jobId: 'b', startedAt: 9 })],
    });
    useJobs.getState().upsert(snapshot({ jobId: 'a', startedAt: 5, docs: 50 }));
    await useJobs.getState().load();
    expect(useJobs.getState().order).toEqual(['b', 'a']);
    expect(useJobs.getState().jobs.a.docs).toBe(50);
  });

  it('names results', () => {
    // The provider names its result; the title's wording is never read for it.
    expect(resultHeading(snapshot({ state: 'succeeded', heading: 'Copy finished' }))).toBe('Copy finished');
    expect(resultHeading(snapshot({ state: 'succeeded' }))).toBe('Migration finished');
    expect(resultHeading(snapshot({ state: 'succeeded', title: 'MongoDB to JSON' }))).toBe('Migration finished');
    expect(resultHeading(snapshot({ state: 'cancelled' }))).toBe('Cancelled');
    expect(resultHeading(snapshot({ state: 'failed' }))).toBe('Failed');
  });
});

describe('migration flow', () => {
  const provider = {
    id: 'direct',
    label: 'Direct',
    description: 'd',
    requiresAuthentication: false,
    appliesTo: ['mongodb' as const],
    available: true,
  };

  it('a provider without actions is a direct action: the job starts at once', async () => {
    const calls = fakeCore({
      'providers.list': () => [provider],
      'providers.actions': () => ({ actions: [] }),
      'jobs.start': () => ({ jobId: 'job-9' }),
    });
    useConnections.setState({ selection: { connectionId: 'c1', databaseName: 'shop', collectionName: 'orders' } });
    await useMigrate.getState().begin();
    expect(calls[0]).toEqual({
      name: 'providers.list',
      payload: {
        context: { connectionId: 'c1', databaseName: 'shop', collectionName: 'orders', extendedProperties: {} },
      },
    });
    await useMigrate.getState().chooseProvider(provider);
    expect(calls.map((c) => c.name)).toEqual(['providers.list', 'providers.actions', 'jobs.start']);
    expect(calls[2].payload).toEqual({
      providerId: 'direct',
      context: { connectionId: 'c1', databaseName: 'shop', collectionName: 'orders', extendedProperties: {} },
    });
    expect(useUi.getState().view).toEqual({ name: 'job', jobId: 'job-9' });
  });

  it('actions are offered; disabled ones and unavailable providers cannot start; start errors are shown', async () => {
    const calls = fakeCore({
      'providers.actions': () => ({
        actions: [
          { id: 'a1', label: 'Copy' },
          { id: 'a2', label: 'Other', disabledReason: 'Select a collection first.' },
        ],
      }),
      'jobs.start': () => Promise.reject(new Error('The source is read-only')),
    });
    await useMigrate.getState().chooseProvider({ ...provider, available: false, unavailableReason: 'no' });
    expect(calls).toEqual([]);
    await useMigrate.getState().chooseProvider(provider);
    const actions = useMigrate.getState().actions;
    expect(actions.status === 'ready' && actions.value.length).toBe(2);
    await useMigrate
      .getState()
      .chooseAction({ id: 'a2', label: 'Other', disabledReason: 'Select a collection first.' });
    expect(calls.filter((c) => c.name === 'jobs.start')).toEqual([]);
    await useMigrate.getState().chooseAction({ id: 'a1', label: 'Copy' });
    expect(calls.at(-1)).toEqual({
      name: 'jobs.start',
      payload: { providerId: 'direct', actionId: 'a1', context: { extendedProperties: {} } },
    });
    expect(useMigrate.getState().startError).toBe('The source is read-only');
  });
});

describe('connections and intake', () => {
  it('browse errors are kept with their message (for Retry), and results are sorted', async () => {
    let fail = true;
    fakeCore({
      'connections.browse': () => {
        if (fail) throw new Error('Could not reach db:27017');
        return {
          databases: [
            { name: 'z', collections: [] },
            {
              name: 'a',
              collections: [
                { name: 'y', type: 'collection' },
                { name: 'b', type: 'view' },
              ],
            },
          ],
        };
      },
    });
    await useConnections.getState().loadBrowse('c1');
    expect(useConnections.getState().browse.c1).toEqual({ status: 'error', message: 'Could not reach db:27017' });
    fail = false;
    await useConnections.getState().loadBrowse('c1');
    const browse = useConnections.getState().browse.c1;
    expect(browse.status === 'ready' && browse.value.map((d) => [d.name, d.collections.map((c) => c.name)])).toEqual([
      ['a', ['b', 'y']],
      ['z', []],
    ]);
  });

  it('dropped files go to intake.content; connections are added and failures kept per file', async () => {
    const connection = {
      id: 'c9',
      kind: 'mongodb' as const,
      name: 'db',
      redactedUri: 'mongodb://db/',
      host: 'db',
      hasCredentials: false,
    };
    fakeCore({
      'intake.content': ({ fileName, text }: { fileName: string; text: string }) =>
        text.includes('mongodb://')
          ? { fileName, connections: [connection], errors: [] }
          : { fileName, connections: [], errors: [`${fileName}: not a connection file.`] },
    });
    await useIntake.getState().intakeFiles([new File(['mongodb://db/'], 'a.txt'), new File(['hello'], 'b.txt')]);
    const entries = useIntake.getState().entries;
    expect(entries.map((e) => [e.fileName, e.connections.length, e.errors])).toEqual(
      expect.arrayContaining([
        ['a.txt', 1, []],
        ['b.txt', 0, ['b.txt: not a connection file.']],
      ]),
    );
    expect(useConnections.getState().connections).toEqual([connection]);
    expect(useIntake.getState().busy).toBe(0);
  });
});

describe('saved connections', () => {
  const conn = {
    id: 's1',
    name: 'Shop',
    kind: 'mongodb' as const,
    host: 'h:1',
    redactedUri: 'mongodb://h:1/',
    hasCredentials: false,
    favourite: false,
    createdAt: 1,
  };

  it('the favourite star changes at once (a second click toggles back) and reverts when saving fails', async () => {
    let release!: () => void;
    const sent: boolean[] = [];
    fakeCore({
      'connections.saved.update': async ({ favourite }: { favourite: boolean }) => {
        sent.push(favourite);
        if (sent.length === 2) throw new Error('disk full');
        await new Promise<void>((resolve) => (release = resolve));
        return { ...conn, favourite };
      },
    });
    useSaved.setState({ saved: [conn], tests: {} });
    const first = useSaved.getState().update('s1', { favourite: true });
    expect(useSaved.getState().saved[0].favourite).toBe(true);
    await expect(
      useSaved.getState().update('s1', { favourite: !useSaved.getState().saved[0].favourite }),
    ).rejects.toThrow('disk full');
    expect(sent).toEqual([true, false]);
    expect(useSaved.getState().saved[0].favourite).toBe(true);
    release();
    await first;
    expect(useSaved.getState().saved[0].favourite).toBe(true);
  });

  it('a test result that arrives after the connection string was edited is dropped', async () => {
    let release!: () => void;
    fakeCore({
      'connections.saved.test': async () => {
        await new Promise<void>((resolve) => (release = resolve));
        return { ok: true, message: 'Connected to h:1.', elapsedMs: 5 };
      },
    });
    useSaved.setState({ saved: [conn], tests: {} });
    const testing = useSaved.getState().test('s1');
    expect(useSaved.getState().tests.s1?.status).toBe('testing');
    useSaved.getState().forgetTest('s1');
    release();
    await testing;
    expect(useSaved.getState().tests.s1).toBeUndefined();
  });
});

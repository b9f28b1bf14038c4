/** Shared by the files provider's tests: run an action through the core like the window does. */
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Binary, BSONRegExp, Code, Decimal128, Double, Int32, Long, MaxKey, MinKey, ObjectId, Timestamp, UUID } from 'mongodb';
import { createCore } from '../../main/core/app-core';
import type { JobSnapshot, Prompt } from '../../preload/contract';
import { createFilesProvider } from './index';

export async function tempDir(label: string): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), `cutover-files-${label}-`));
}

export async function runFilesAction(opts: {
  uri: string;
  db: string;
  coll?: string;
  action: 'import' | 'export';
  presets: Record<string, string>;
  dataDir: string;
  onPrompt?: (prompt: Prompt) => unknown;
}): Promise<{ done: JobSnapshot; prompts: Prompt[] }> {
  const core = createCore({ providers: [createFilesProvider({ dataDir: opts.dataDir })], shell: 'browser', version: 'test', progressThrottleMs: 50 });
  const prompts: Prompt[] = [];
  core.onEvent((name, payload) => {
    if (name !== 'job.prompt') return;
    const prompt = payload as Prompt;
    prompts.push(prompt);
    const value = opts.onPrompt?.(prompt);
    void core.dispatch('prompts.answer', { jobId: prompt.jobId, promptId: prompt.promptId, value: value === null ? undefined : value });
  });
  try {
    const opened = await core.dispatch('connections.open', { uri: opts.uri });
    if (!opened.ok) throw new Error(opened.error.message);
    const connectionId = (opened.value as { id: string }).id;
    const started = await core.dispatch('jobs.start', { providerId: 'files', actionId: opts.action, context: { connectionId, databaseName: opts.db, collectionName: opts.coll, extendedProperties: opts.presets } });
    if (!started.ok) throw new Error(started.error.message);
    const done = await core.runner.whenDone((started.value as { jobId: string }).jobId);
    return { done, prompts };
  } finally {
    await core.shutdown();
  }
}

export function stat(done: JobSnapshot, label: string): string | undefined {
  return done.stats?.find((s) => s.label === label)?.value;
}

/** A document holding every BSON type, with the edge values that lose their type when handled loosely. */
export function everyTypeDocument(i: number) {
  return {
    _id: new ObjectId(),
    i: new Int32(i),
    long: Long.fromString('9223372036854775807'),
    smallLong: Long.fromNumber(5),
    dbl: new Double(1.0),
    negZero: new Double(-0),
    nan: new Double(Number.NaN),
    inf: new Double(Number.POSITIVE_INFINITY),
    dec: Decimal128.fromString('1234567890.123456789012345678901234'),
    str: `név ключ 名前 🚀 ${i}\n"quoted", comma`,
    date: new Date(1_700_000_000_000 + i),
    oldDate: new Date(-2_208_988_800_000),
    ts: new Timestamp({ t: 1_700_000_000, i }),
    bin: new Binary(Buffer.from([0, 1, 2, 255]), 0),
    fn: new Binary(Buffer.from('f'), 1),
    uuid: new UUID('01234567-89ab-cdef-0123-456789abcdef'),
    md5: new Binary(Buffer.alloc(16, 7), 5),
    custom: new Binary(Buffer.from('x'), 0x80),
    re: new BSONRegExp('^a.c$', 'imsux'),
    code: new Code('function () { return 1; }'),
    min: new MinKey(),
    max: new MaxKey(),
    nil: null,
    bool: i % 2 === 0,
    nested: { arr: [[1, 2, [3]], { 'ключ': 'значение' }], empty: {}, emptyArr: [] },
  };
}

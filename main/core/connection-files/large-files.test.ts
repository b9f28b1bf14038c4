/**
 * Large connection files through the core's dispatcher (as the window drops them): at most 10,000
 * entries are read and the preview says so, duplicates are still found, and the event loop keeps
 * turning while the file is read (other work gets its turn; no timing is asserted).
 */
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { IntakeResult } from '../../../preload/contract';
import { createCore } from '../app-core';
import { writeCutoverFile } from './cutover-file';

async function core() {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'cutover-large-'));
  const c = createCore({ providers: [], shell: 'browser', version: 'test', dataDir });
  const drop = async (fileName: string, text: string) => {
    const outcome = await c.dispatch('intake.content', { fileName, text });
    if (!outcome.ok) throw new Error(outcome.error.message);
    return outcome.value as IntakeResult;
  };
  return { core: c, drop };
}

/** Counts event-loop turns (setImmediate) until stopped. */
function turnCounter() {
  let turns = 0;
  let running = true;
  const tick = () => {
    if (!running) return;
    turns++;
    setImmediate(tick);
  };
  setImmediate(tick);
  return { stop: () => ((running = false), turns) };
}

const lines = (count: number) =>
  Array.from({ length: count }, (_, i) =>
    i % 2 ? `mongodb://ada:pw${i}@db${i}.example:27017/shop` : `postgres://bob:pw${i}@pg${i}.example/reports`,
  );

describe('large connection files', () => {
  it('reads the first 10,000 connections of a longer text file, says so, and still finds duplicates', async () => {
    const { core: c, drop } = await core();
    await c.saved.add({ uri: 'mongodb://ada:other@db9999.example/shop', name: 'Saved shop' });
    const counter = turnCounter();
    const result = await drop('many.txt', `${lines(10_050).join('\n')}\n`);
    const turns = counter.stop();
    expect(result.preview!.entries).toHaveLength(10_000);
    expect(result.preview!.entries.at(-1)!.where).toBe('line 10000');
    expect(result.errors).toEqual(['many.txt: it holds more than 10,000 connections: only the first 10,000 are read.']);
    expect(result.preview!.entries.find((e) => e.where === 'line 10000')).toMatchObject({
      redactedUri: 'mongodb://ada:****@db9999.example:27017/shop',
      duplicateOf: { name: 'Saved shop' },
    });
    expect(result.preview!.entries.filter((e) => e.duplicateOf)).toHaveLength(1);
    expect(JSON.stringify(result)).not.toMatch(/pw\d/);
    // The main loop was handed back while the file was read (the old reader held it throughout).
    expect(turns).toBeGreaterThan(1);
    await c.shutdown();
  }, 120_000);

  it('reads the first 10,000 entries of a longer .cutover file instead of refusing it', async () => {
    const { core: c, drop } = await core();
    const text = await writeCutoverFile(
      lines(10_001).map((uri, i) => ({
        name: `c${i}`,
        kind: i % 2 ? 'mongodb' : 'postgres',
        publicUri: uri.replace(/:pw\d+@/, '@'),
        secrets: {},
      })),
    );
    const result = await drop('team.cutover', text);
    expect(result.preview!.entries).toHaveLength(10_000);
    expect(result.errors).toEqual([
      'team.cutover: it holds more than 10,000 connections: only the first 10,000 are read.',
    ]);
    await c.shutdown();
  }, 120_000);
});

/**
 * `npm run bench:intake -- [--mb 10 | --lines 5000] [--saved 500] [--format text|cutover|compass] [--resolution 5]`: how a large connection file
 * treats the core's event loop. Writes a file of about N MB of connection strings (a mix of kinds, some
 * duplicating saved connections), has a core with a data folder open it as the OS would (core.openFile)
 * and as a drop (intake.content) (both read it in a worker thread), then reads it in the main thread for
 * comparison, and prints elapsed seconds and the event loop's delay (p50, p99, max)
 * measured while each runs, beside the same measure of an idle loop (the machine's own noise). A figure,
 * not a test: the machine's load moves it.
 *
 * The delay is sampled by perf_hooks' monitorEventLoopDelay every `--resolution` ms (default 5; at most
 * 10, or a short block falls between samples and a 2 s run has too few samples for its p99 to mean
 * anything). Node records the time between samples, so an idle loop reads about the resolution itself.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { createCore } from '../../main/core/app-core';
import { cooperative } from '../../main/core/connection-files/cooperative';
import { writeCutoverFile } from '../../main/core/connection-files/cutover-file';
import { readConnectionFile } from '../../main/core/connection-files/read-connection-file';

const { values } = parseArgs({
  options: {
    mb: { type: 'string', default: '10' },
    lines: { type: 'string' },
    saved: { type: 'string', default: '500' },
    format: { type: 'string', default: 'text' },
    resolution: { type: 'string', default: '5' },
    json: { type: 'boolean' },
  },
});
// Decimal megabytes: 10 MB is the most a drop carries (10,000,000 characters).
const targetBytes = Number(values.mb) * 1_000_000 - 1;
const maxLines = values.lines ? Number(values.lines) : Infinity;
const savedCount = Number(values.saved);
const resolution = Number(values.resolution);
if (!['text', 'cutover', 'compass'].includes(values.format!))
  throw new Error(`--format: text, cutover or compass, not ${values.format}`);
if (!(resolution >= 1 && resolution <= 10)) throw new Error(`--resolution: 1 to 10 ms, not ${values.resolution}`);

const uriOf = (i: number) =>
  i % 3 === 0
    ? `mongodb://user${i}:pw${i}@db-${i % 997}.example.com:27017/shop_${i}?authSource=admin&tls=true`
    : i % 3 === 1
      ? `postgres://report${i}:secret${i}@pg-${i % 991}.example.com:5432/reports_${i}?sslmode=require`
      : `mysql://app${i}:pass${i}@my-${i % 983}.example.com:3306/app_${i}`;

async function main() {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'cutover-bench-intake-'));
  try {
    const core = createCore({ providers: [], shell: 'browser', version: 'bench', dataDir: path.join(dir, 'data') });
    // Saved connections, some of which the file duplicates.
    await core.saved.addMany(Array.from({ length: savedCount }, (_, i) => ({ uri: uriOf(i * 7), name: `saved ${i}` })));
    const lines: string[] = [];
    let bytes = 0;
    for (let i = 0; i < maxLines; i++) {
      const line = uriOf(i);
      if (bytes + line.length + 1 > targetBytes) break;
      lines.push(line);
      bytes += line.length + 1;
    }
    const file = path.join(
      dir,
      values.format === 'cutover' ? 'big.cutover' : values.format === 'compass' ? 'compass-export.json' : 'big.txt',
    );
    const cutoverText = (count: number) =>
      writeCutoverFile(
        lines.slice(0, count).map((uri, i) => ({
          name: `c${i}`,
          kind: uri.split(':')[0],
          publicUri: uri.replace(/:[^:@/]+@/, '@'),
          secrets: {},
        })),
      );
    // Compass exports MongoDB connections only, in canonical Extended JSON.
    const compassText = (count: number) =>
      JSON.stringify(
        {
          type: 'Compass Connections',
          version: { $numberInt: '1' },
          connections: lines.slice(0, count).map((_, i) => ({
            id: `id-${i}`,
            connectionOptions: { connectionString: uriOf(i * 3) },
            favorite: { name: `c${i}`, color: 'color2' },
            lastUsed: { $date: { $numberLong: '1735689600000' } },
          })),
        },
        null,
        2,
      );
    let text = `${lines.join('\n')}\n`;
    let count = lines.length;
    if (values.format !== 'text') {
      // JSON takes more room per connection: as many as fit in the same size (or the lines asked for).
      const write = values.format === 'cutover' ? cutoverText : async (n: number) => compassText(n);
      text = await write(lines.length);
      if (!values.lines) {
        count = Math.floor((lines.length * targetBytes) / text.length) - 100;
        text = await write(count);
      }
    }
    await writeFile(file, text);
    // The text as a transport delivers it (the harness parses a JSON message; Electron deserialises one):
    // one flat string. The generated one is a concatenation, which V8 would flatten, 10 MB at once, the
    // first time it is read: a cost of this benchmark, not of a drop.
    text = JSON.parse(JSON.stringify(text)) as string;

    const measure = async (label: string, run: () => Promise<unknown>) => {
      const histogram = monitorEventLoopDelay({ resolution });
      histogram.enable();
      const elu = performance.eventLoopUtilization();
      const started = performance.now();
      const result = (await run()) as { preview?: { entries: unknown[] }; errors: string[] };
      const seconds = (performance.now() - started) / 1000;
      histogram.disable();
      // How much of the time the main thread was running code (not waiting for the next event).
      const busy = Math.round(performance.eventLoopUtilization(elu).utilization * 100);
      const ms = (ns: number) => Math.round((ns / 1e6) * 10) / 10;
      return {
        run: label,
        seconds: Math.round(seconds * 100) / 100,
        entries: result.preview?.entries.length ?? 0,
        errors: result.errors.length,
        p50_ms: ms(histogram.percentile(50)),
        p99_ms: ms(histogram.percentile(99)),
        max_ms: ms(histogram.max),
        samples: histogram.count,
        main_busy_pct: busy,
      };
    };
    const rows = [
      // The same measure with nothing to do: what the machine's own load adds.
      await measure(
        'idle (baseline)',
        async () => (await new Promise((resolve) => setTimeout(resolve, 2_000)), { errors: [] }),
      ),
      // Busy work handing the loop back as the readers do: the best a CPU-bound task can get on this machine now.
      await measure('busy (baseline)', async () => {
        const pause = cooperative();
        for (const end = performance.now() + 2_000; performance.now() < end;) await pause();
        return { errors: [] };
      }),
      await measure('open (core.openFile)', () => core.openFile(file)),
      await measure('drop (intake.content)', async () => {
        const outcome = await core.dispatch('intake.content', { fileName: path.basename(file), text });
        if (!outcome.ok) throw new Error(outcome.error.message);
        return outcome.value;
      }),
      // For comparison: the same file read in the main thread, as every file was before the worker.
      await measure('read in the main thread', async () => {
        const parsed = await readConnectionFile(values.format as 'text' | 'cutover' | 'compass', await readFile(file), {
          inWorker: false,
        });
        return { preview: parsed, errors: parsed.errors };
      }),
    ];
    const header = {
      file_mb: Math.round((text.length / 1_000_000) * 10) / 10,
      lines: count,
      saved: savedCount,
      format: values.format,
      resolution_ms: resolution,
    };
    if (values.json) console.log(JSON.stringify({ ...header, rows }));
    else {
      console.log(
        `${header.file_mb} MB, ${header.lines} connection strings (${header.format}), ${header.saved} saved connections, loop sampled every ${resolution} ms`,
      );
      for (const r of rows)
        console.log(
          `${r.run.padEnd(24)} ${String(r.seconds).padStart(7)} s  ${String(r.entries).padStart(6)} entries  ${r.errors} errors  event loop p50 ${r.p50_ms} ms  p99 ${r.p99_ms} ms  max ${r.max_ms} ms  (${r.samples} samples)  main thread busy ${r.main_busy_pct}%`,
        );
    }
    await core.shutdown();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();

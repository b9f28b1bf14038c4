/**
 * `npm run bench:intake -- [--mb 10] [--saved 500] [--format text|cutover]`: how a large connection file
 * treats the core's event loop. Writes a file of about N MB of connection strings (a mix of kinds, some
 * duplicating saved connections), has a core with a data folder open it as the OS would (core.openFile)
 * and as a drop (intake.content), and prints elapsed seconds and the event loop's delay (p50, p99, max)
 * measured while each runs, beside the same measure of an idle loop (the machine's own noise). A figure,
 * not a test: the machine's load moves it.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { createCore } from '../app-core';
import { cooperative } from './cooperative';
import { writeCutoverFile } from './cutover-file';

const { values } = parseArgs({ options: { mb: { type: 'string', default: '10' }, saved: { type: 'string', default: '500' }, format: { type: 'string', default: 'text' }, json: { type: 'boolean' } } });
// Decimal megabytes: 10 MB is the most a drop carries (10,000,000 characters).
const targetBytes = Number(values.mb) * 1_000_000 - 1;
const savedCount = Number(values.saved);

const uriOf = (i: number) =>
  i % 3 === 0 ? `mongodb://user${i}:pw${i}@db-${i % 997}.example.com:27017/shop_${i}?authSource=admin&tls=true`
  : i % 3 === 1 ? `postgres://report${i}:secret${i}@pg-${i % 991}.example.com:5432/reports_${i}?sslmode=require`
  : `mysql://app${i}:pass${i}@my-${i % 983}.example.com:3306/app_${i}`;

async function main() {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'cutover-bench-intake-'));
  try {
    const core = createCore({ providers: [], shell: 'browser', version: 'bench', dataDir: path.join(dir, 'data') });
    // Saved connections, some of which the file duplicates.
    await core.saved.addMany(Array.from({ length: savedCount }, (_, i) => ({ uri: uriOf(i * 7), name: `saved ${i}` })));
    const lines: string[] = [];
    let bytes = 0;
    for (let i = 0; ; i++) {
      const line = uriOf(i);
      if (bytes + line.length + 1 > targetBytes) break;
      lines.push(line);
      bytes += line.length + 1;
    }
    const file = path.join(dir, values.format === 'cutover' ? 'big.cutover' : 'big.txt');
    const cutoverText = (count: number) => writeCutoverFile(lines.slice(0, count).map((uri, i) => ({ name: `c${i}`, kind: uri.split(':')[0], publicUri: uri.replace(/:[^:@/]+@/, '@'), secrets: {} })));
    let text = `${lines.join('\n')}\n`;
    let count = lines.length;
    if (values.format === 'cutover') {
      // JSON takes more room per connection: as many as fit in the same size.
      text = await cutoverText(lines.length);
      count = Math.floor((lines.length * targetBytes) / text.length) - 100;
      text = await cutoverText(count);
    }
    await writeFile(file, text);

    const measure = async (label: string, run: () => Promise<unknown>) => {
      const histogram = monitorEventLoopDelay({ resolution: 10 });
      histogram.enable();
      const started = performance.now();
      const result = (await run()) as { preview?: { entries: unknown[] }; errors: string[] };
      const seconds = (performance.now() - started) / 1000;
      histogram.disable();
      const ms = (ns: number) => Math.round((ns / 1e6) * 10) / 10;
      return { run: label, seconds: Math.round(seconds * 100) / 100, entries: result.preview?.entries.length ?? 0, errors: result.errors.length, p50_ms: ms(histogram.percentile(50)), p99_ms: ms(histogram.percentile(99)), max_ms: ms(histogram.max) };
    };
    const rows = [
      // The same measure with nothing to do: what the machine's own load adds.
      await measure('idle (baseline)', async () => (await new Promise((resolve) => setTimeout(resolve, 2_000)), { errors: [] })),
      // Busy work handing the loop back as the readers do: the best a CPU-bound task can get on this machine now.
      await measure('busy (baseline)', async () => {
        const pause = cooperative();
        for (const end = performance.now() + 2_000; performance.now() < end; ) await pause();
        return { errors: [] };
      }),
      await measure('open (core.openFile)', () => core.openFile(file)),
      await measure('drop (intake.content)', async () => {
        const outcome = await core.dispatch('intake.content', { fileName: path.basename(file), text });
        if (!outcome.ok) throw new Error(outcome.error.message);
        return outcome.value;
      }),
    ];
    const header = { file_mb: Math.round((text.length / 1_000_000) * 10) / 10, lines: count, saved: savedCount, format: values.format };
    if (values.json) console.log(JSON.stringify({ ...header, rows }));
    else {
      console.log(`${header.file_mb} MB, ${header.lines} connection strings (${header.format}), ${header.saved} saved connections`);
      for (const r of rows) console.log(`${r.run.padEnd(24)} ${String(r.seconds).padStart(7)} s  ${String(r.entries).padStart(6)} entries  ${r.errors} errors  event loop p50 ${r.p50_ms} ms  p99 ${r.p99_ms} ms  max ${r.max_ms} ms`);
    }
    await core.shutdown();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();

/**
 * What the copy benchmark measures and prints: the CPU seconds of this process and of both servers, the
 * one-line JSON result (stdout) and the readable table (stderr) with the targets the engine should meet.
 */
import os from 'node:os';
import type { CopyOutcome, CopyRequest, LoadLevel } from '../../providers/mongo-copy/plan';
import { processCpuSeconds, type ServerProcess } from '../lib/servers';
import type { BenchOptions } from './args';

/** What the engine should achieve; reported, not enforced (only correctness checks fail the run). */
const TARGETS = { minRatio: 1.0, maxPeakRssMb: 300, maxEventLoopP99Ms: 30 } as const;

export interface CpuSeconds {
  self: number;
  source: number;
  target: number;
}

/** CPU seconds so far of this process (all its threads) and of both servers. */
export function cpuNow(source: ServerProcess, target: ServerProcess): CpuSeconds {
  const { user, system } = process.cpuUsage();
  return { self: (user + system) / 1e6, source: processCpuSeconds(source.pid), target: processCpuSeconds(target.pid) };
}

export const cpuSince = (start: CpuSeconds, end: CpuSeconds): CpuSeconds => ({
  self: end.self - start.self,
  source: end.source - start.source,
  target: end.target - start.target,
});

export interface EngineRun {
  seconds: number;
  outcome: CopyOutcome;
  peakRssBytes: number;
  rssBeforeBytes: number;
  eventLoopP99Ms: number;
  eventLoopMaxMs: number;
  /** Seconds spent in each engine phase; 'start' is the worker's start-up, until its first phase. */
  phases: Array<[string, number]>;
  warnings: number;
}

export interface BenchResult {
  docs: number;
  bytes: number;
  engine_docs_per_s: number;
  baseline_docs_per_s: number;
  ratio: number;
  peak_rss_mb: number;
  event_loop_p99_ms: number;
  load: LoadLevel;
  /** The engine's policy and verification, so a run with other settings says so. */
  conflict: CopyRequest['conflict'];
  verify: CopyRequest['verify'];
}

/** Everything measured, for the readable table. */
export interface Measurements {
  bytes: number;
  seedSeconds: number;
  naiveSeconds: number;
  naiveCpu: CpuSeconds;
  engine: EngineRun;
  engineCpu: CpuSeconds;
  idleEventLoopP99Ms: number;
  loadAverage: number[];
}

const mb = (bytes: number) => Math.round((bytes / 1_048_576) * 10) / 10;
const round2 = (x: number) => Math.round(x * 100) / 100;
export const thousands = (x: number) => x.toLocaleString('en-US');

export function buildResult(options: BenchOptions, m: Measurements): BenchResult {
  const engineRate = options.docs / m.engine.seconds;
  const baselineRate = options.docs / m.naiveSeconds;
  return {
    docs: options.docs,
    bytes: m.bytes,
    engine_docs_per_s: Math.round(engineRate),
    baseline_docs_per_s: Math.round(baselineRate),
    ratio: round2(engineRate / baselineRate),
    peak_rss_mb: mb(m.engine.peakRssBytes),
    event_loop_p99_ms: round2(m.engine.eventLoopP99Ms),
    load: options.load,
    conflict: options.conflict,
    verify: options.verify,
  };
}

const showCpu = (cpu: CpuSeconds) =>
  `bench ${cpu.self.toFixed(1)} s, source ${cpu.source.toFixed(1)} s, target ${cpu.target.toFixed(1)} s`;

export function printTable(result: BenchResult, m: Measurements): void {
  const mark = (ok: boolean) => (ok ? 'ok' : 'MISSED');
  const rows: Array<[string, string, string]> = [
    ['documents', `${thousands(result.docs)} (${mb(result.bytes)} MB BSON)`, ''],
    ['seeding', `${m.seedSeconds.toFixed(1)} s (not counted)`, ''],
    [
      `engine (load ${result.load})`,
      `${thousands(result.engine_docs_per_s)} docs/s in ${m.engine.seconds.toFixed(1)} s`,
      '',
    ],
    ['  phases', m.engine.phases.map(([name, seconds]) => `${name} ${seconds.toFixed(1)} s`).join(', '), ''],
    ['  CPU', showCpu(m.engineCpu), ''],
    ['baseline (naive)', `${thousands(result.baseline_docs_per_s)} docs/s in ${m.naiveSeconds.toFixed(1)} s`, ''],
    ['  CPU', showCpu(m.naiveCpu), ''],
    ['ratio engine/baseline', `${result.ratio}`, `${mark(result.ratio >= TARGETS.minRatio)} (>= ${TARGETS.minRatio})`],
    [
      'peak RSS during engine',
      `${result.peak_rss_mb} MB (before: ${mb(m.engine.rssBeforeBytes)} MB)`,
      `${mark(result.peak_rss_mb < TARGETS.maxPeakRssMb)} (< ${TARGETS.maxPeakRssMb} MB)`,
    ],
    [
      'event loop p99',
      `${result.event_loop_p99_ms} ms (max ${round2(m.engine.eventLoopMaxMs)} ms)`,
      `${mark(result.event_loop_p99_ms < TARGETS.maxEventLoopP99Ms)} (< ${TARGETS.maxEventLoopP99Ms} ms)`,
    ],
    ['  idle control', `${round2(m.idleEventLoopP99Ms)} ms (p99 with nothing running in this process)`, ''],
    ['engine warnings', String(m.engine.warnings), ''],
    [
      'load average at end',
      `${m.loadAverage.map((x) => x.toFixed(1)).join(' ')} (${os.availableParallelism()} CPUs)`,
      '',
    ],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  const valueWidth = Math.max(...rows.map(([, value]) => value.length));
  for (const [label, value, target] of rows)
    process.stderr.write(`${label.padEnd(width)}  ${value.padEnd(valueWidth)}  ${target}\n`.replace(/ +\n$/, '\n'));
}

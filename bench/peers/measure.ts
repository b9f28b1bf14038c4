/**
 * The peers benchmark's measured runs: commands (or bash pipelines) run one after another while the CPU
 * time and peak RSS of every process of their tree are sampled from /proc, and the CPU the test servers
 * spent meanwhile is read around each run.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { processCpuSeconds, processPeakRssBytes } from '../lib/servers';

const SAMPLE_MS = 20;

/** One process of a run: its arguments, and (for a pipeline) whether its stdout feeds the next one. */
export type Command = string[];

export interface Measured {
  seconds: number;
  cpuSeconds: number;
  peakRssMb: number;
  /** CPU the two test servers spent meanwhile (they share the machine's cores with the client). */
  serverCpuSeconds: number;
}

/** The test servers' pids, whose CPU is read around each run. */
let serverPids: number[] = [];
const serversCpu = () => serverPids.reduce((sum, pid) => sum + (processCpuSeconds(pid) || 0), 0);

/** The test servers whose CPU each measured run reports. */
export function watchServers(pids: number[]): void {
  serverPids = pids;
}

/**
 * Runs commands one after another; a nested array is a pipeline, run by bash (stdout of each into the
 * next through an OS pipe). CPU and peak RSS are sampled from /proc for every process of the tree.
 */
export async function measure(steps: Array<Command | Command[]>): Promise<Measured> {
  const started = performance.now();
  const serversBefore = serversCpu();
  let cpuSeconds = 0;
  let peakRssBytes = 0;
  for (const step of steps) {
    const pipeline = Array.isArray(step[0]) ? (step as Command[]) : [step as Command];
    const child =
      pipeline.length === 1
        ? spawn(pipeline[0][0], pipeline[0].slice(1), { stdio: ['ignore', 'ignore', 'pipe'] })
        : spawn(
            'bash',
            ['-o', 'pipefail', '-c', pipeline.map((command) => command.map(shellQuote).join(' ')).join(' | ')],
            { stdio: ['ignore', 'ignore', 'pipe'] },
          );
    const last = new Map<number, { cpu: number; rss: number }>();
    const sample = () => {
      for (const pid of processTree(child.pid!)) {
        const cpu = processCpuSeconds(pid);
        const rss = processPeakRssBytes(pid);
        if (!Number.isNaN(cpu)) last.set(pid, { cpu, rss: Number.isNaN(rss) ? (last.get(pid)?.rss ?? 0) : rss });
      }
    };
    const sampler = setInterval(sample, SAMPLE_MS);
    sample();
    const result = await exitOf(child);
    clearInterval(sampler);
    if (result.code !== 0)
      throw new Error(
        `${pipeline.map((c) => path.basename(c[0])).join(' | ')} exited ${result.code}: ${result.stderr.slice(-2000)}`,
      );
    for (const { cpu, rss } of last.values()) {
      cpuSeconds += cpu;
      peakRssBytes += rss;
    }
  }
  return {
    seconds: (performance.now() - started) / 1000,
    cpuSeconds,
    peakRssMb: peakRssBytes / 1_048_576,
    serverCpuSeconds: serversCpu() - serversBefore,
  };
}

const shellQuote = (arg: string) => `'${arg.replace(/'/g, `'\\''`)}'`;

/** A process and its descendants, from /proc/<pid>/task/<tid>/children. */
function processTree(root: number): number[] {
  const pids = [root];
  for (let i = 0; i < pids.length; i++) {
    try {
      for (const task of readdirSync(`/proc/${pids[i]}/task`)) {
        const children = readFileSync(`/proc/${pids[i]}/task/${task}/children`, 'utf8').trim();
        if (children) pids.push(...children.split(' ').map(Number));
      }
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

function exitOf(child: ChildProcess): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    let stderr = '';
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-8000)));
    child.on('error', (error) => resolve({ code: -1, stderr: error.message }));
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

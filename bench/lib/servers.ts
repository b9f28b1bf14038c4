/**
 * Benchmarks' test servers: the project's MongoDB test server started as a child process of its own
 * (so its memory and CPU are not the benchmark's), stopped cleanly, and never left behind; and the CPU
 * time of any process, read from /proc.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SERVER_CLI = 'testkit/mongo/cli.ts';
const SERVER_START_TIMEOUT_MS = 30_000;
const SERVER_STOP_TIMEOUT_MS = 5_000;
/** Linux USER_HZ: the unit of utime / stime in /proc/<pid>/stat. */
const CLOCK_TICKS_PER_S = 100;

export interface ServerProcess {
  uri: string;
  pid: number;
  stop(): Promise<void>;
}

const children = new Set<ChildProcess>();

/** BENCH_CPU_PROF=<dir> profiles the servers too (profile this process with `node --cpu-prof --import tsx …`). */
function profilerArgs(): string[] {
  const dir = process.env.BENCH_CPU_PROF;
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : [];
}

/** Starts `testkit/mongo/cli.ts --port 0` (the OS picks a free port) and waits for its `listening on` line. */
export function startServerProcess(name: string): Promise<ServerProcess> {
  const child = spawn(process.execPath, [...profilerArgs(), '--import', 'tsx', SERVER_CLI, '--port', '0'], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk: string) => {
      output += chunk;
      const match = /listening on ([\w.:-]+):(\d+)/.exec(output);
      if (!match) return;
      settle();
      child.stdout!.resume(); // keep draining, never block the child on a full pipe
      resolve({ uri: `mongodb://${match[1]}:${match[2]}/`, pid: child.pid!, stop: () => stopChild(child) });
    };
    const onEarlyExit = (code: number | null, signal: NodeJS.Signals | null) =>
      fail(new Error(`${name} server exited before listening (code ${code}, signal ${signal}): ${output.trim()}`));
    const fail = (error: Error) => {
      settle();
      child.kill('SIGKILL');
      reject(error);
    };
    const timer = setTimeout(
      () => fail(new Error(`${name} server did not start within ${SERVER_START_TIMEOUT_MS} ms`)),
      SERVER_START_TIMEOUT_MS,
    );
    const settle = () => {
      clearTimeout(timer);
      child.off('exit', onEarlyExit);
      child.off('error', fail);
      child.stdout!.off('data', onData);
    };
    child.once('exit', onEarlyExit);
    child.once('error', fail);
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', onData);
  });
}

/** SIGTERM, then SIGKILL if the child is still there after a grace period. */
export function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), SERVER_STOP_TIMEOUT_MS);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Last resort (synchronous): no server outlives this process. */
export function killChildrenNow(): void {
  for (const child of children) child.kill('SIGKILL');
}

/** CPU seconds (user + system) of a process, from /proc; NaN where /proc is not available. */
export function processCpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // fields[0] is field 3 (state)
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_S; // fields 14 (utime), 15 (stime)
  } catch {
    return Number.NaN;
  }
}

/** The peak resident set of a live process so far (VmHWM), in bytes; NaN once it has gone. */
export function processPeakRssBytes(pid: number): number {
  try {
    const match = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

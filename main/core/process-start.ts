/**
 * Which process ran a job: its pid and when that process started. A pid alone is not enough (pids are
 * reused), so a job record keeps both and a later run asks "is that pid alive, and did it start then?".
 *
 * Start times come from the system, measured the same way for our own process and for another one:
 * Linux `/proc/<pid>/stat` (clock ticks since boot, plus `btime`), elsewhere `ps -o lstart=` (whole
 * seconds). Where neither answers (Windows), only "is the pid alive" is known.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';

/** USER_HZ: the unit of /proc/<pid>/stat's start time on every Linux architecture Node runs on. */
const LINUX_TICKS_PER_SECOND = 100;
/** Two measurements of one process's start may differ by rounding (ps: whole seconds). */
const SAME_START_MS = 1_500;

/** When process `pid` started (ms since the epoch), or undefined when the system cannot tell. */
export async function processStartTime(pid: number): Promise<number | undefined> {
  if (process.platform === 'linux') return linuxStart(pid);
  if (process.platform === 'win32') return undefined;
  return psStart(pid);
}

async function linuxStart(pid: number): Promise<number | undefined> {
  try {
    const [stat, system] = await Promise.all([readFile(`/proc/${pid}/stat`, 'utf8'), readFile('/proc/stat', 'utf8')]);
    // The command name (field 2) may hold spaces and parentheses: fields after it start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[19]); // field 22: starttime
    const bootSeconds = Number(/^btime (\d+)$/m.exec(system)?.[1]);
    if (!Number.isFinite(ticks) || !Number.isFinite(bootSeconds)) return undefined;
    return bootSeconds * 1000 + Math.round((ticks * 1000) / LINUX_TICKS_PER_SECOND);
  } catch {
    return undefined;
  }
}

function psStart(pid: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    execFile(
      'ps',
      ['-o', 'lstart=', '-p', String(pid)],
      { env: { ...process.env, LC_ALL: 'C' }, timeout: 5_000 },
      (error, stdout) => {
        const when = error ? NaN : Date.parse(stdout.trim());
        resolve(Number.isFinite(when) ? when : undefined);
      },
    );
  });
}

let own: Promise<number | undefined> | undefined;

/** This process's start time, measured as processStartTime measures others (so the two compare). */
export function ownProcessStart(): Promise<number | undefined> {
  own ??= processStartTime(process.pid).then((t) => t ?? Math.round(Date.now() - process.uptime() * 1000));
  return own;
}

/** Whether a process with this pid exists (one of another user's counts). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Whether the process that wrote a record (pid, start time) still runs: its pid is alive and, where
 * the system tells start times, started when the record says (else the pid was reused).
 */
export async function processStillRuns(pid: number, startedAt: number | undefined): Promise<boolean> {
  if (!Number.isInteger(pid) || pid <= 0 || !pidAlive(pid)) return false;
  if (startedAt === undefined) return true;
  const now = await processStartTime(pid);
  if (now === undefined) return pidAlive(pid);
  return Math.abs(now - startedAt) <= SAME_START_MS;
}

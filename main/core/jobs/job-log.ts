/**
 * A job's log file (`<logDir>/<jobId>.log`): every warning and error, and the milestones (began, phases,
 * answers that matter, the end), one line each, secrets redacted. Lines are appended in order; when the file
 * cannot be written (a full disk), the job goes on and is told once. The window reads the newest part.
 */
import { appendFile, mkdir, open as openFile } from 'node:fs/promises';
import path from 'node:path';
import { redactSecretsInText } from '../connection-string';

export type LogLevel = 'warning' | 'error' | 'info';

/** The most of a log the window is given (its newest part). */
export const MAX_LOG_TEXT = 256 * 1024;

/** The log file of a job id, or none without a log folder or for an id that is not a plain job id. */
export function jobLogFile(logDir: string | undefined, jobId: string): string | undefined {
  return logDir && /^[A-Za-z0-9-]+$/.test(jobId) ? path.join(logDir, `${jobId}.log`) : undefined;
}

export class JobLog {
  private writes: Promise<void> = Promise.resolve();
  private failed = false;

  /** `file` undefined keeps no log; `onFailure` hears, once, why the log could not be written. */
  constructor(
    readonly file: string | undefined,
    private readonly onFailure: (message: string) => void,
  ) {}

  write(level: LogLevel, message: string): void {
    const file = this.file;
    if (!file) return;
    const line = `${new Date().toISOString()} ${level.toUpperCase()} ${redactSecretsInText(message)}\n`;
    this.writes = this.writes
      .then(() =>
        this.failed
          ? undefined
          : mkdir(path.dirname(file), { recursive: true }).then(() => appendFile(file, line, { mode: 0o600 })),
      )
      .catch((error: Error) => {
        // A full disk, say: the job goes on, and says once that its log is incomplete.
        this.failed = true;
        this.onFailure(
          `The job's log ${file} could not be written (${error.message}); only the first messages are kept, here.`,
        );
      });
  }

  /** Resolves once every line written so far is in the file (or given up). */
  flush(): Promise<void> {
    return this.writes;
  }
}

/** The newest `maxBytes` of a log file; empty when there is none. */
export async function readLogTail(
  file: string,
  maxBytes = MAX_LOG_TEXT,
): Promise<{ path: string; text: string; truncated: boolean }> {
  try {
    const handle = await openFile(file, 'r');
    try {
      const { size } = await handle.stat();
      const length = Math.min(size, maxBytes);
      const buffer = Buffer.alloc(length);
      await handle.read(buffer, 0, length, size - length);
      return { path: file, text: buffer.toString('utf8'), truncated: size > length };
    } finally {
      await handle.close();
    }
  } catch {
    return { path: file, text: '', truncated: false };
  }
}

/**
 * Files that reach Cutover from the operating system: a path in argv at start (Windows/Linux,
 * "Open with" and double-click), `open-file` (macOS, possibly before the window exists) and
 * `second-instance` (a running Cutover receives the file). All go to the core's one intake.
 * Linux launchers pass `%U`, so a file may arrive as a `file://` URI: it is taken as the path it names.
 */
import { fileURLToPath } from 'node:url';

export const CONNECTION_FILE_EXTENSIONS = ['.cutover', '.txt', '.env', '.json', '.uri'];

/**
 * A path as the OS handed it over: a plain path stays as it is, a local `file://` URI becomes its path
 * (percent-escapes decoded), anything else (another scheme, a file URI on another host) is not a file.
 */
export function pathFromOs(arg: string): string | undefined {
  if (/^file:/i.test(arg)) {
    try {
      return fileURLToPath(arg);
    } catch {
      return undefined;
    }
  }
  // Other URI schemes (`https://…`, `mongodb://…`) are not files; a Windows drive letter (`C:\`) is.
  if (/^[a-z][a-z0-9+.-]+:/i.test(arg) && !/^[a-z]:[\\/]/i.test(arg)) return undefined;
  return arg;
}

/** The file paths in a command line, skipping the executable, flags and the app's own entry script. */
export function filesFromArgv(argv: readonly string[], isPackaged: boolean): string[] {
  const args = argv.slice(isPackaged ? 1 : 2);
  return args
    .filter((arg) => !arg.startsWith('-') && !/\.(m?js|cjs)$/.test(arg) && arg !== '.')
    .map(pathFromOs)
    .filter((file): file is string => file !== undefined);
}

/**
 * Queues paths until the window and core are ready, then hands them over in arrival order.
 */
export class PendingFiles {
  private readonly queue: string[] = [];
  private deliver?: (path: string) => void;

  add(path: string): void {
    if (this.deliver) this.deliver(path);
    else this.queue.push(path);
  }

  ready(deliver: (path: string) => void): void {
    this.deliver = deliver;
    for (const path of this.queue.splice(0)) deliver(path);
  }
}

/** The part of Electron's `app` the file handlers need (an EventEmitter in tests). */
export interface AppEvents {
  on(event: 'open-file', listener: (event: { preventDefault(): void }, path: string) => void): unknown;
  on(event: 'second-instance', listener: (event: unknown, argv: string[]) => void): unknown;
}

/**
 * macOS `open-file` (possibly before the window exists) and `second-instance` (a running Cutover
 * receives the files of a new launch and comes to the front) both queue their files for the intake.
 */
export function handleFilesFromOs(
  app: AppEvents,
  pending: PendingFiles,
  options: { isPackaged: () => boolean; bringToFront: () => void },
): void {
  app.on('open-file', (event, filePath) => {
    event.preventDefault();
    const file = pathFromOs(filePath);
    if (file !== undefined) pending.add(file);
  });
  app.on('second-instance', (_event, argv) => {
    filesFromArgv(argv, options.isPackaged()).forEach((file) => pending.add(file));
    options.bringToFront();
  });
}

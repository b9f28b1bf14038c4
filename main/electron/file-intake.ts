/**
 * Files that reach Cutover from the operating system: a path in argv at start (Windows/Linux,
 * "Open with" and double-click), `open-file` (macOS, possibly before the window exists) and
 * `second-instance` (a running Cutover receives the file). All go to the core's one intake.
 */
export const CONNECTION_FILE_EXTENSIONS = ['.cutover', '.txt', '.env', '.json', '.uri'];

/** The file paths in a command line, skipping the executable, flags and the app's own entry script. */
export function filesFromArgv(argv: readonly string[], isPackaged: boolean): string[] {
  const args = argv.slice(isPackaged ? 1 : 2);
  return args.filter((arg) => !arg.startsWith('-') && !/\.(m?js|cjs)$/.test(arg) && arg !== '.');
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
export function handleFilesFromOs(app: AppEvents, pending: PendingFiles, options: { isPackaged: () => boolean; bringToFront: () => void }): void {
  app.on('open-file', (event, filePath) => {
    event.preventDefault();
    pending.add(filePath);
  });
  app.on('second-instance', (_event, argv) => {
    filesFromArgv(argv, options.isPackaged()).forEach((file) => pending.add(file));
    options.bringToFront();
  });
}

/**
 * Cutover's updates, free of Electron: drives an injected updater (electron-updater's AppUpdater in the
 * app, the same class with a Node HTTP executor in the browser harness and the tests) through the states
 * the window shows: idle, checking, available, downloading (with progress), ready, error, disabled.
 *
 * Checks run at start and every 4 hours while automatic checks are on; when offline-looking errors repeat
 * (no network, the server's name does not resolve, refused) the next automatic check waits longer,
 * doubling up to a day, so an offline machine is not polled. The channel (stable or beta) comes from the
 * settings; a version older than the running one is only offered when the channel differs from the
 * running version's own (going back from beta to stable).
 */
import type { Settings, UpdateState } from '../../../preload/contract';

/** The part of electron-updater's AppUpdater that Cutover uses. */
export interface UpdaterLike {
  autoDownload: boolean;
  autoInstallOnAppQuit: boolean;
  allowDowngrade: boolean;
  channel: string | null;
  readonly currentVersion: { readonly version: string; readonly prerelease: ReadonlyArray<string | number> };
  checkForUpdates(): Promise<{ isUpdateAvailable: boolean; updateInfo: UpdateInfoLike } | null>;
  downloadUpdate(): Promise<unknown>;
  quitAndInstall(isSilent?: boolean, isForceRunAfter?: boolean): void;
  on(
    event: 'download-progress',
    listener: (progress: { percent: number; transferred: number; total: number }) => void,
  ): unknown;
}

export interface UpdateInfoLike {
  version: string;
  releaseNotes?: string | ReadonlyArray<{ version: string; note: string | null }> | null;
  releaseDate?: string;
}

export interface UpdateServiceOptions {
  /** Absent: updates are disabled (disabledReason says why). */
  updater?: UpdaterLike;
  disabledReason?: string;
  /** in-place: AppImage, Windows, macOS; download: a .deb install (the person downloads from the release page). */
  install: 'in-place' | 'download';
  settings(): Promise<Settings>;
  onChange(state: UpdateState): void;
  intervalMs?: number;
  maxDelayMs?: number;
}

export const CHECK_INTERVAL_MS = 4 * 60 * 60 * 1000;
const MAX_DELAY_MS = 24 * 60 * 60 * 1000;
const NOTES_LIMIT = 20_000;

/** Errors that say "this machine is offline" rather than "the update server is wrong". */
export function isOfflineLooking(error: unknown): boolean {
  const text = `${(error as { code?: string })?.code ?? ''} ${error instanceof Error ? error.message : String(error)}`;
  return /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ENETUNREACH|EHOSTUNREACH|ETIMEDOUT|ECONNRESET|ERR_INTERNET_DISCONNECTED|ERR_NAME_NOT_RESOLVED|ERR_NETWORK_CHANGED|ERR_CONNECTION_REFUSED|ERR_ADDRESS_UNREACHABLE|ERR_PROXY_CONNECTION_FAILED|ERR_TIMED_OUT/.test(
    text,
  );
}

/** How long until the next automatic check: the interval, doubled for each offline-looking error after the first. */
export function nextCheckDelay(
  offlineErrorsInARow: number,
  intervalMs = CHECK_INTERVAL_MS,
  maxDelayMs = MAX_DELAY_MS,
): number {
  if (offlineErrorsInARow < 2) return intervalMs;
  return Math.min(maxDelayMs, intervalMs * 2 ** (offlineErrorsInARow - 1));
}

/** The update channel file a setting reads: stable is electron-builder's "latest". */
export const channelFile = (channel: Settings['updates']['channel']): string =>
  channel === 'beta' ? 'beta' : 'latest';

/** One clear sentence for what went wrong (electron-updater's messages carry stack-like detail). */
export function updateErrorMessage(error: unknown, channel: Settings['updates']['channel']): string {
  const code = (error as { code?: string })?.code;
  const message = error instanceof Error ? error.message : String(error);
  if (code === 'ERR_CHECKSUM_MISMATCH' || /sha512 checksum mismatch/i.test(message)) {
    return `The downloaded update does not match its sha512 checksum, so it was refused and nothing was installed (${message.split('\n')[0]}).`;
  }
  if (code === 'ERR_UPDATER_CHANNEL_FILE_NOT_FOUND' || /Cannot find channel/i.test(message)) {
    const file = message.match(/"([^"]+\.yml)"/)?.[1] ?? `${channelFile(channel)}.yml`;
    return `The update server has no ${file} for the ${channel} channel: no release is published there yet.`;
  }
  if (isOfflineLooking(error))
    return `Cutover could not reach the update server (${message.split('\n')[0].slice(0, 200)}). It will try again later.`;
  return `Checking for updates failed: ${message.split('\n')[0].slice(0, 300)}`;
}

function notesText(notes: UpdateInfoLike['releaseNotes']): string | undefined {
  if (!notes) return undefined;
  const text = typeof notes === 'string' ? notes : notes.map((n) => `${n.version}\n${n.note ?? ''}`).join('\n\n');
  // Release notes may be HTML (GitHub-style); the window shows text.
  const plain = text
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|li|h\d)>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .trim();
  return plain ? plain.slice(0, NOTES_LIMIT) : undefined;
}

export class UpdateService {
  private current: UpdateState;
  private timer?: NodeJS.Timeout;
  private offlineErrors = 0;
  private checking?: Promise<UpdateState>;
  private downloading?: Promise<UpdateState>;
  private stopped = false;

  constructor(private readonly options: UpdateServiceOptions) {
    this.current = options.updater
      ? { state: 'idle' }
      : { state: 'disabled', reason: options.disabledReason ?? 'Updates are not available in this build.' };
    options.updater?.on('download-progress', (progress) => {
      if (this.current.state !== 'downloading') return;
      const percent = Math.floor(progress.percent);
      if (percent === this.current.percent && progress.transferred !== progress.total) return;
      this.set({ ...this.current, percent, transferred: progress.transferred, total: progress.total });
    });
  }

  state(): UpdateState {
    return this.current;
  }

  /** Applies the settings, then checks at once if automatic checks are on (and every 4 hours after). */
  async start(): Promise<void> {
    await this.applySettings();
    const { updates } = await this.options.settings();
    if (updates.automatic && this.options.updater) void this.automaticCheck();
  }

  /** After a settings change: the channel, and the automatic checks started or stopped. */
  async applySettings(): Promise<void> {
    const updater = this.options.updater;
    if (!updater) return;
    const { updates } = await this.options.settings();
    updater.autoDownload = false;
    // Never installs on its own when Cutover quits: only "Restart to update", through the quit flow.
    updater.autoInstallOnAppQuit = false;
    const wanted = channelFile(updates.channel);
    updater.channel = wanted;
    // Setting a channel allows downgrades; only going to another channel than the running version's may.
    const runningChannel = updater.currentVersion.prerelease.length
      ? String(updater.currentVersion.prerelease[0])
      : 'latest';
    updater.allowDowngrade = runningChannel !== wanted;
    if (!updates.automatic) this.clearTimer();
    else if (!this.timer && !this.stopped && this.current.state !== 'disabled')
      this.schedule(nextCheckDelay(this.offlineErrors, this.options.intervalMs, this.options.maxDelayMs));
  }

  /** Checks now. While an update downloads or waits for the restart, it stays as it is. */
  check(): Promise<UpdateState> {
    const updater = this.options.updater;
    if (!updater) return Promise.resolve(this.current);
    if (this.current.state === 'downloading' || this.current.state === 'ready') return Promise.resolve(this.current);
    this.checking ??= (async () => {
      const { updates } = await this.options.settings();
      this.set({ state: 'checking' });
      try {
        const result = await updater.checkForUpdates();
        this.offlineErrors = 0;
        if (!result)
          return this.set({
            state: 'disabled',
            reason: 'Updates apply to installed copies of Cutover; this one runs from its sources.',
          });
        if (!result.isUpdateAvailable) return this.set({ state: 'idle', lastCheckedAt: Date.now(), upToDate: true });
        const info = result.updateInfo;
        this.set({
          state: 'available',
          version: info.version,
          releaseNotes: notesText(info.releaseNotes),
          releaseDate: info.releaseDate,
          install: this.options.install,
        });
        if (this.options.install === 'in-place' && updates.automatic) void this.download();
        return this.current;
      } catch (error) {
        this.offlineErrors = isOfflineLooking(error) ? this.offlineErrors + 1 : 0;
        return this.set({ state: 'error', message: updateErrorMessage(error, updates.channel) });
      }
    })().finally(() => (this.checking = undefined));
    return this.checking;
  }

  /** Downloads the available update (in-place installs); the sha512 and size are checked by the updater. */
  download(): Promise<UpdateState> {
    const updater = this.options.updater;
    const available = this.current;
    if (!updater || available.state !== 'available' || available.install !== 'in-place')
      return Promise.resolve(this.current);
    this.downloading ??= (async () => {
      const { updates } = await this.options.settings();
      this.set({
        state: 'downloading',
        version: available.version,
        releaseNotes: available.releaseNotes,
        percent: 0,
        transferred: 0,
        total: 0,
      });
      try {
        await updater.downloadUpdate();
        return this.set({ state: 'ready', version: available.version, releaseNotes: available.releaseNotes });
      } catch (error) {
        return this.set({ state: 'error', message: updateErrorMessage(error, updates.channel) });
      }
    })().finally(() => (this.downloading = undefined));
    return this.downloading;
  }

  /** Quits and installs the downloaded update. Only the quit flow calls this, once the jobs have stopped. */
  installNow(): void {
    if (this.current.state !== 'ready' || !this.options.updater) return;
    this.set({ ...this.current, restarting: true });
    this.options.updater.quitAndInstall(false, true);
  }

  /** The harness cannot restart itself: it says the update is ready and the jobs have stopped. */
  markRestarting(): void {
    if (this.current.state === 'ready') this.set({ ...this.current, restarting: true });
  }

  stop(): void {
    this.stopped = true;
    this.clearTimer();
  }

  private async automaticCheck(): Promise<void> {
    this.clearTimer();
    await this.check();
    if (this.stopped) return;
    const { updates } = await this.options.settings();
    if (updates.automatic)
      this.schedule(nextCheckDelay(this.offlineErrors, this.options.intervalMs, this.options.maxDelayMs));
  }

  private schedule(delayMs: number): void {
    this.clearTimer();
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.automaticCheck();
    }, delayMs);
    this.timer.unref?.();
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private set(state: UpdateState): UpdateState {
    this.current = state;
    this.options.onChange(state);
    return state;
  }
}

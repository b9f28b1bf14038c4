/**
 * Closing the window or quitting while a job runs: the person is asked first (the job stops, and can be
 * resumed from History), and once they agree the jobs are stopped cleanly (their workers told to cancel,
 * checkpoints written) before the app exits, within a time limit. No Electron import: the main process
 * wires it to the window's 'close' and the app's 'before-quit' events.
 */

export interface QuitFlowPorts {
  /** Jobs running or paused now. */
  activeJobs(): number;
  /** Asks whether to stop them and close; true means yes. */
  confirmStop(activeJobs: number): boolean;
  /** Stops every job and closes connections. */
  shutdown(): Promise<void>;
  /** Quits the app (called again once the shutdown is over). */
  quit(): void;
  /** How long the shutdown may take before the app quits anyway. */
  shutdownLimitMs?: number;
}

interface Preventable {
  preventDefault(): void;
}

export function createQuitFlow(ports: QuitFlowPorts) {
  let agreed = false;
  let stopping = false;
  let stopped = false;

  /** Whether closing may go on: nothing runs, the person already agreed, or agrees now. */
  const mayStop = (): boolean => {
    if (agreed) return true;
    const active = ports.activeJobs();
    if (active > 0 && !ports.confirmStop(active)) return false;
    agreed = true;
    return true;
  };

  return {
    /** The main window's 'close'. */
    onWindowClose(event: Preventable): void {
      if (!mayStop()) event.preventDefault();
    },

    /** The app's 'before-quit': asks if need be, then holds the quit until the jobs have stopped. */
    onBeforeQuit(event: Preventable): void {
      if (stopped) return;
      event.preventDefault();
      if (stopping || !mayStop()) return;
      stopping = true;
      const limit = new Promise<void>((resolve) => setTimeout(resolve, ports.shutdownLimitMs ?? 5_000).unref?.());
      void Promise.race([ports.shutdown().catch(() => undefined), limit]).then(() => {
        stopped = true;
        ports.quit();
      });
    },
  };
}

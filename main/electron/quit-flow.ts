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

  /** What runs once the jobs have stopped (a quit, or the updater's quit-and-install). */
  let then: () => void = () => ports.quit();
  const stopAll = (after: () => void): void => {
    stopping = true;
    then = after;
    const limit = new Promise<void>((resolve) => setTimeout(resolve, ports.shutdownLimitMs ?? 5_000).unref?.());
    void Promise.race([ports.shutdown().catch(() => undefined), limit]).then(() => {
      stopped = true;
      then();
    });
  };

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
      stopAll(() => ports.quit());
    },

    /**
     * "Restart to update": the same question and the same clean stop as quitting, then `install` (the
     * updater's quit-and-install) instead of a plain quit. Never installs while a job runs.
     */
    restartInto(install: () => void): 'restarting' | 'declined' {
      if (stopped) {
        install();
        return 'restarting';
      }
      if (!stopping && !mayStop()) return 'declined';
      if (!stopping) stopAll(install);
      else then = install;
      return 'restarting';
    },
  };
}

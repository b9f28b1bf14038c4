/**
 * Closing or quitting with jobs running: asked first, then the jobs are stopped before the app exits.
 */
import { describe, expect, it } from 'vitest';
import { createQuitFlow } from './quit-flow';

function harness(opts: { active: number; answer: boolean; shutdownHangs?: boolean; limitMs?: number }) {
  const calls = { asked: 0, shutdowns: 0, quits: 0 };
  let active = opts.active;
  let finishShutdown!: () => void;
  const shutdownDone = new Promise<void>((resolve) => (finishShutdown = resolve));
  if (!opts.shutdownHangs) finishShutdown();
  const flow = createQuitFlow({
    activeJobs: () => active,
    confirmStop: () => {
      calls.asked++;
      return opts.answer;
    },
    shutdown: async () => {
      calls.shutdowns++;
      await shutdownDone;
      active = 0;
    },
    quit: () => calls.quits++,
    shutdownLimitMs: opts.limitMs,
  });
  const event = () => {
    const e = { prevented: false, preventDefault: () => (e.prevented = true) };
    return e;
  };
  return { flow, calls, event, finishShutdown };
}

const tick = (ms = 20) => new Promise((resolve) => setTimeout(resolve, ms));

describe('quit flow', () => {
  it('with nothing running: the window closes without a question, and the quit waits for the shutdown once', async () => {
    const { flow, calls, event } = harness({ active: 0, answer: false });
    const close = event();
    flow.onWindowClose(close);
    expect(close.prevented).toBe(false);
    const quit = event();
    flow.onBeforeQuit(quit);
    expect(quit.prevented).toBe(true); // held until the jobs and connections are closed
    await tick();
    expect(calls).toEqual({ asked: 0, shutdowns: 1, quits: 1 });
    const again = event();
    flow.onBeforeQuit(again); // the quit that follows the shutdown goes through
    expect(again.prevented).toBe(false);
  });

  it('with a job running: "Keep running" keeps the window and the app; asked again next time', async () => {
    const { flow, calls, event } = harness({ active: 1, answer: false });
    const close = event();
    flow.onWindowClose(close);
    expect(close.prevented).toBe(true);
    const quit = event();
    flow.onBeforeQuit(quit);
    expect(quit.prevented).toBe(true);
    await tick();
    expect(calls).toEqual({ asked: 2, shutdowns: 0, quits: 0 });
  });

  it('with a job running: "Stop and close" asks once (window, then quit), stops the jobs, then quits', async () => {
    const { flow, calls, event, finishShutdown } = harness({
      active: 2,
      answer: true,
      shutdownHangs: true,
      limitMs: 60_000,
    });
    const close = event();
    flow.onWindowClose(close);
    expect(close.prevented).toBe(false);
    flow.onBeforeQuit(event());
    flow.onBeforeQuit(event()); // a second Quit while stopping does not stop twice
    await tick();
    expect(calls.quits).toBe(0); // still stopping
    finishShutdown();
    await tick();
    expect(calls).toEqual({ asked: 1, shutdowns: 1, quits: 1 });
  });

  it('a shutdown that hangs does not keep the app from quitting past the time limit', async () => {
    const { flow, calls, event } = harness({ active: 1, answer: true, shutdownHangs: true, limitMs: 50 });
    flow.onBeforeQuit(event());
    await tick(120);
    expect(calls.quits).toBe(1);
  });
});

describe('restart to update through the quit flow', () => {
  it('with a job running: asks first; declined, nothing stops and nothing installs', async () => {
    const { flow, calls } = harness({ active: 1, answer: false });
    let installs = 0;
    expect(flow.restartInto(() => installs++)).toBe('declined');
    await tick();
    expect(calls).toEqual({ asked: 1, shutdowns: 0, quits: 0 });
    expect(installs).toBe(0);
  });

  it('agreed: the jobs stop cleanly first, then the update installs (not a plain quit), and the quit that follows passes', async () => {
    const { flow, calls, event, finishShutdown } = harness({ active: 2, answer: true, shutdownHangs: true });
    let installs = 0;
    expect(flow.restartInto(() => installs++)).toBe('restarting');
    await tick();
    expect(installs).toBe(0);
    finishShutdown();
    await tick();
    expect(installs).toBe(1);
    expect(calls).toEqual({ asked: 1, shutdowns: 1, quits: 0 });
    // quitAndInstall quits the app: before-quit now lets it through.
    const quit = event();
    flow.onBeforeQuit(quit);
    expect(quit.prevented).toBe(false);
  });
});

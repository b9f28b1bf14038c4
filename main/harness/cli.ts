/**
 * `npm run dev:web`: runs Cutover in a browser. Prints the URL (with its one-time token) to open.
 */
import { startHarness } from './server';
import { terminalDialogs } from './terminal-dialogs';

const portArg = process.argv.indexOf('--port');
const port = portArg > 0 ? Number(process.argv[portArg + 1]) : 5190;
// Save dialogs and confirmations are asked on this terminal, never by the page.
const hostDialogs = process.stdin.isTTY ? terminalDialogs(process.stdin, process.stdout) : undefined;
if (!hostDialogs) console.log('No terminal: exports (which need a host-side Save question) are refused.');
const harness = await startHarness({ port, coreOptions: { hostDialogs } });
console.log(`Cutover is running in the browser harness: ${harness.url}`);
const stop = async () => {
  await harness.stop();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

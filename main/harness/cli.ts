/**
 * `npm run dev:web`: runs Cutover in a browser. Prints the URL (with its one-time token) to open.
 */
import { startHarness } from './server';

const portArg = process.argv.indexOf('--port');
const port = portArg > 0 ? Number(process.argv[portArg + 1]) : 5190;
// Files to read or write, "replace?" and confirmations that matter are asked on the chooser page, never by the app page.
const harness = await startHarness({ port });
console.log(`Cutover is running in the browser harness: ${harness.url}`);
console.log(`Its file chooser (open it beside the app: files and confirmations are asked there): ${harness.chooserUrl}`);
const stop = async () => {
  await harness.stop();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

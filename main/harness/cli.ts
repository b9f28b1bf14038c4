/**
 * `npm run dev:web`: runs Cutover in a browser. Prints the URL (with its one-time token) to open.
 * The harness is the whole app minus the window: it keeps its data (saved connections, History, job logs,
 * checkpoints for Resume) in Cutover's data folder, like the desktop app and the CLI, or in `--data-dir DIR`.
 */
import { defaultDataDir } from '../../providers/api/data-dir';
import { startHarness } from './server';

const USAGE = `Usage: npm run dev:web -- [--port PORT] [--data-dir DIR]
  --port PORT      the port on 127.0.0.1 to serve the app on (default 5190)
  --data-dir DIR   Cutover's data folder (default: CUTOVER_DATA_DIR or the platform's app data folder)`;

/** The options after `npm run dev:web --`; a bad one is an error naming it. */
export function parseHarnessArgs(
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
): { port: number; dataDir: string; help: boolean } {
  const out = { port: 5190, dataDir: defaultDataDir(env), help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') out.help = true;
    else if (arg === '--port' || arg === '--data-dir') {
      const value = argv[++i];
      if (value === undefined || value.startsWith('--')) throw new Error(`${arg} needs a value.\n${USAGE}`);
      if (arg === '--port') {
        const port = Number(value);
        if (!Number.isInteger(port) || port < 0 || port > 65535)
          throw new Error(`--port ${value}: not a port number (0 to 65535).`);
        out.port = port;
      } else out.dataDir = value;
    } else throw new Error(`Unknown option ${arg}.\n${USAGE}`);
  }
  return out;
}

if (process.argv[1] && /harness[\\/]cli\.[cm]?[jt]s$/.test(process.argv[1])) {
  let args: ReturnType<typeof parseHarnessArgs>;
  try {
    args = parseHarnessArgs(process.argv.slice(2));
  } catch (error) {
    console.error((error as Error).message);
    process.exit(2);
  }
  if (args.help) {
    console.log(USAGE);
    process.exit(0);
  }
  // Files to read or write, "replace?" and confirmations that matter are asked on the chooser page, never by the app page.
  const harness = await startHarness({ port: args.port, coreOptions: { dataDir: args.dataDir } });
  console.log(`Cutover is running in the browser harness: ${harness.url}`);
  console.log(`Its data folder (History, job logs, saved connections): ${args.dataDir}`);
  console.log(
    `Its file chooser (open it beside the app: files and confirmations are asked there): ${harness.chooserUrl}`,
  );
  const stop = async () => {
    await harness.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

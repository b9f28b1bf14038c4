/**
 * CLI: `npm run testkit:mongo -- --port 27999 [--host 127.0.0.1] [--tls] [--user u:p] [--verbose]`
 * Prints `listening on HOST:PORT` and serves until SIGTERM / SIGINT.
 */
import { startMongoTestServer } from './server.js';
import type { UserConfig } from './scram.js';

interface CliOptions {
  port: number;
  host: string;
  tls: boolean;
  users: UserConfig[];
  verbose: boolean;
}

const USAGE = `usage: testkit:mongo --port <port> [--host 127.0.0.1] [--tls] [--user user:password]... [--verbose]

  --port <port>          port to listen on (default 27017; 0 picks a free one)
  --host <address>       address to listen on (default 127.0.0.1)
  --tls                  serve TLS with a throw-away CA (its file is printed as tlsCAFile)
  --user user:password   require SCRAM authentication for this user (repeatable)
  --verbose, -v          log every command to stderr
  --help, -h             print this help
`;

function usage(msg: string): never {
  process.stderr.write(`${msg}\n${USAGE}`);
  process.exit(2);
}

export function parseArgs(argv: string[]): CliOptions {
  const opts: CliOptions = { port: 27017, host: '127.0.0.1', tls: false, users: [], verbose: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = (): string => {
      const v = argv[++i];
      if (v === undefined) usage(`missing value for ${a}`);
      return v;
    };
    if (a === '--port') {
      const p = Number(next());
      if (!Number.isInteger(p) || p < 0 || p > 65535) usage('invalid --port');
      opts.port = p;
    } else if (a === '--host') opts.host = next();
    else if (a === '--tls') opts.tls = true;
    else if (a === '--verbose' || a === '-v') opts.verbose = true;
    else if (a === '--help' || a === '-h') {
      process.stdout.write(USAGE);
      process.exit(0);
    } else if (a === '--user') {
      const v = next();
      const colon = v.indexOf(':');
      if (colon <= 0) usage('--user expects user:password');
      opts.users.push({ user: v.slice(0, colon), password: v.slice(colon + 1) });
    } else if (a === '--') continue;
    else usage(`unknown argument ${a}`);
  }
  return opts;
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  const server = await startMongoTestServer({
    port: opts.port,
    host: opts.host,
    tls: opts.tls,
    auth: opts.users.length ? { users: opts.users } : undefined,
    log: opts.verbose ? (m) => process.stderr.write(`[mongo-testkit] ${m}\n`) : undefined,
  });
  process.stdout.write(`listening on ${server.host}:${server.port}\n`);
  if (server.caFile) process.stderr.write(`tlsCAFile ${server.caFile}\n`);
  let stopping = false;
  const shutdown = (): void => {
    if (stopping) return;
    stopping = true;
    server.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

main().catch((e: unknown) => {
  process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});

/**
 * The copy benchmark's command line (`npm run bench:copy -- --docs N …`): its options, their defaults and
 * checks; a bad argument prints the usage and exits with 2.
 */
import { LOAD_LEVELS, type CopyRequest, type LoadLevel } from '../../providers/mongo-copy/plan';

export interface BenchOptions {
  docs: number;
  docBytes: number;
  load: LoadLevel;
  json: boolean;
  /** Passed through to the CopyRequest when given. */
  tuning: Pick<CopyRequest, 'timeoutMs' | 'batchDocs' | 'partitionDocs'>;
  /** The engine's conflict policy: drop (default: plain inserts), or overwrite / skip (upserts, or inserts that tolerate duplicates). */
  conflict: CopyRequest['conflict'];
  /** Verification after the copy (default none); its time counts in the engine's, and the table shows the phase. */
  verify: CopyRequest['verify'];
}

function usage(message: string): never {
  process.stderr.write(
    `${message}\nusage: bench:copy -- --docs N [--json] [--load ${LOAD_LEVELS.join('|')}] [--doc-bytes 1024] [--timeout-ms N] [--batch-docs N] [--partition-docs N] [--conflict drop|overwrite|skip] [--verify none|sample|full]\n`,
  );
  process.exit(2);
}

function positiveInt(flag: string, value: string | undefined): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) usage(`${flag} expects a positive integer`);
  return n;
}

export function parseArgs(argv: string[]): BenchOptions {
  const options: BenchOptions = {
    docs: 200_000,
    docBytes: 1024,
    load: 'normal',
    json: false,
    tuning: {},
    conflict: 'drop',
    verify: 'none',
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === '--docs') options.docs = positiveInt(flag, argv[++i]);
    else if (flag === '--doc-bytes') options.docBytes = positiveInt(flag, argv[++i]);
    else if (flag === '--timeout-ms') options.tuning.timeoutMs = positiveInt(flag, argv[++i]);
    else if (flag === '--batch-docs') options.tuning.batchDocs = positiveInt(flag, argv[++i]);
    else if (flag === '--partition-docs') options.tuning.partitionDocs = positiveInt(flag, argv[++i]);
    else if (flag === '--json') options.json = true;
    else if (flag === '--verify') {
      const verify = argv[++i];
      if (verify !== 'none' && verify !== 'sample' && verify !== 'full') usage('--verify expects none, sample or full');
      options.verify = verify;
    } else if (flag === '--conflict') {
      const conflict = argv[++i];
      if (conflict !== 'drop' && conflict !== 'overwrite' && conflict !== 'skip')
        usage('--conflict expects drop, overwrite or skip');
      options.conflict = conflict;
    } else if (flag === '--load') {
      const load = argv[++i] as LoadLevel;
      if (!LOAD_LEVELS.includes(load)) usage(`--load expects one of ${LOAD_LEVELS.join(', ')}`);
      options.load = load;
    } else if (flag !== '--') usage(`unknown argument ${flag}`);
  }
  return options;
}

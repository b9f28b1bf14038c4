/**
 * The operations the peers benchmark compares: each as MongoDB's database tools run it and as Cutover's
 * command line runs it, on the same input, with where its data lands and how that is checked.
 */
import path from 'node:path';
import type { Command } from './measure';

export const SOURCE = { db: 'bench_src', coll: 'docs' } as const;
export const CSV_FIELDS = 'seq,name,email,active,score,visits,createdAt,address.city,address.zip,notes';
export const PEERS = ['mongodump', 'mongorestore', 'mongoimport', 'mongoexport'] as const;

export interface Context {
  src: string;
  dst: string;
  bin: (tool: (typeof PEERS)[number]) => string;
  cutover: (...args: string[]) => Command;
  /** Input files written once by the peer (not timed). */
  dumpDir: string;
  ndjson: string;
  csv: string;
  /** A fresh path for an output of this run. */
  scratch: (name: string) => string;
}

/** Where a run's data lands, and how to check it. */
export type Check = { db: string; coll: string } | { fileLines: string };

export interface Operation {
  op: string;
  peer(ctx: Context, target: string): { steps: Array<Command | Command[]>; check: Check };
  cutover(ctx: Context, target: string): { steps: Array<Command | Command[]>; check: Check };
}

const restoreInto = (ctx: Context, target: string): string[] => ['--nsFrom', `${SOURCE.db}.*`, '--nsTo', `${target}.*`];

export const OPERATIONS: Operation[] = [
  {
    op: 'copy-archive',
    peer: (ctx, target) => ({
      steps: [
        [
          [ctx.bin('mongodump'), `--uri=${ctx.src}`, `--db=${SOURCE.db}`, '--archive', '--quiet'],
          [ctx.bin('mongorestore'), `--uri=${ctx.dst}`, '--archive', '--quiet', ...restoreInto(ctx, target)],
        ],
      ],
      check: { db: target, coll: SOURCE.coll },
    }),
    cutover: (ctx, target) => ({
      steps: [
        ctx.cutover(
          'copy',
          '--from',
          ctx.src,
          '--to',
          ctx.dst,
          '--db',
          SOURCE.db,
          '--target-db',
          target,
          '--verify',
          'none',
          '--json',
        ),
      ],
      check: { db: target, coll: SOURCE.coll },
    }),
  },
  {
    op: 'copy-folder',
    peer: (ctx, target) => {
      const dir = ctx.scratch('dump');
      return {
        steps: [
          [ctx.bin('mongodump'), `--uri=${ctx.src}`, `--db=${SOURCE.db}`, `--out=${dir}`, '--quiet'],
          [ctx.bin('mongorestore'), `--uri=${ctx.dst}`, `--dir=${dir}`, '--quiet', ...restoreInto(ctx, target)],
        ],
        check: { db: target, coll: SOURCE.coll },
      };
    },
    cutover: (ctx, target) => ({
      steps: [
        ctx.cutover('copy', '--from', ctx.src, '--to', ctx.dst, '--db', SOURCE.db, '--target-db', target, '--json'),
      ],
      check: { db: target, coll: SOURCE.coll },
    }),
  },
  {
    op: 'restore',
    peer: (ctx, target) => ({
      steps: [
        [ctx.bin('mongorestore'), `--uri=${ctx.dst}`, `--dir=${ctx.dumpDir}`, '--quiet', ...restoreInto(ctx, target)],
      ],
      check: { db: target, coll: SOURCE.coll },
    }),
    cutover: (ctx, target) => ({
      steps: [
        ctx.cutover(
          'import',
          '--uri',
          ctx.dst,
          '--db',
          target,
          '--file',
          path.join(ctx.dumpDir, SOURCE.db),
          '--format',
          'mongodump',
          '--json',
        ),
      ],
      check: { db: target, coll: SOURCE.coll },
    }),
  },
  ...(['canonical', 'relaxed'] as const).map((mode): Operation => ({
    op: `export-${mode}`,
    peer: (ctx) => {
      const out = ctx.scratch('peer.ndjson');
      return {
        steps: [
          [
            ctx.bin('mongoexport'),
            `--uri=${ctx.src}`,
            `--db=${SOURCE.db}`,
            `--collection=${SOURCE.coll}`,
            `--jsonFormat=${mode}`,
            `--out=${out}`,
            '--quiet',
          ],
        ],
        check: { fileLines: out },
      };
    },
    cutover: (ctx) => {
      const out = ctx.scratch('cutover.ndjson');
      return {
        steps: [
          ctx.cutover(
            'export',
            '--uri',
            ctx.src,
            '--db',
            SOURCE.db,
            '--collection',
            SOURCE.coll,
            '--out',
            out,
            '--format',
            'ndjson',
            '--ejson',
            mode,
            '--json',
          ),
        ],
        check: { fileLines: out },
      };
    },
  })),
  ...([1, 4] as const).map((workers): Operation => ({
    op: workers === 1 ? 'import-ndjson' : 'import-ndjson-4w',
    peer: (ctx, target) => ({
      steps: [
        [
          ctx.bin('mongoimport'),
          `--uri=${ctx.dst}`,
          `--db=${target}`,
          `--collection=${SOURCE.coll}`,
          `--file=${ctx.ndjson}`,
          `--numInsertionWorkers=${workers}`,
          '--quiet',
        ],
      ],
      check: { db: target, coll: SOURCE.coll },
    }),
    cutover: (ctx, target) => ({
      steps: [
        ctx.cutover(
          'import',
          '--uri',
          ctx.dst,
          '--db',
          target,
          '--collection',
          SOURCE.coll,
          '--file',
          ctx.ndjson,
          '--format',
          'ndjson',
          '--json',
        ),
      ],
      check: { db: target, coll: SOURCE.coll },
    }),
  })),
  {
    op: 'import-csv',
    peer: (ctx, target) => ({
      steps: [
        [
          ctx.bin('mongoimport'),
          `--uri=${ctx.dst}`,
          `--db=${target}`,
          `--collection=${SOURCE.coll}`,
          `--file=${ctx.csv}`,
          '--type=csv',
          '--headerline',
          '--quiet',
        ],
      ],
      check: { db: target, coll: SOURCE.coll },
    }),
    cutover: (ctx, target) => ({
      steps: [
        ctx.cutover(
          'import',
          '--uri',
          ctx.dst,
          '--db',
          target,
          '--collection',
          SOURCE.coll,
          '--file',
          ctx.csv,
          '--format',
          'csv',
          '--json',
        ),
      ],
      check: { db: target, coll: SOURCE.coll },
    }),
  },
];

/**
 * The count check that ends every copy and import, whatever the verification: does the target
 * collection hold the documents the job says it wrote? Cheap and policy-aware:
 *
 *  - first the target's `estimatedDocumentCount` (metadata, no scan); only when that disagrees with what
 *    is expected, `countDocuments` (exact) decides;
 *  - policies that start from an empty (or dropped) target, "abort" and "drop", need exactly the expected
 *    documents; "skip" and "overwrite" write into a target that may hold others, so at least them.
 *
 * A collection that is gone from the target fails the check, even when nothing was expected in it (an
 * empty collection copied is still a collection created).
 */
import type { Db } from 'mongodb';
import type { WritePolicy } from './mongo-writer';

export interface CountCheckInput {
  /** Names the collection in the sentence, e.g. "sales.orders". */
  namespace: string;
  policy: WritePolicy;
  /** Documents the job wrote and the target acknowledged (inserted, replaced or upserted). */
  written: number;
  /**
   * Documents the target must hold because of the job: exactly (abort, drop) or at least (skip,
   * overwrite). Default: `written`. A copy with "skip" adds the documents it kept, whose _id is there.
   */
  expected?: number;
}

export interface CountCheckResult {
  namespace: string;
  policy: WritePolicy;
  written: number;
  expected: number;
  /** Whether the target must hold exactly `expected` (abort, drop) or at least it (skip, overwrite). */
  rule: 'exactly' | 'at least';
  /** The target's count: the estimate when it agreed, else the exact count; undefined when the collection is gone. */
  target?: number;
  /** Whether the exact count (`countDocuments`) was needed. */
  counted: boolean;
  ok: boolean;
  /** One sentence for the person, e.g. "sales.orders holds 174,500 documents on the target, but 300,000 were written to it." */
  sentence: string;
}

const n = (value: number) => value.toLocaleString('en-US');
const documents = (value: number) => `${n(value)} document${value === 1 ? '' : 's'}`;

/** Checks the target collection `name` of `db` against what a job wrote into it. */
export async function checkCount(db: Db, name: string, input: CountCheckInput): Promise<CountCheckResult> {
  const expected = input.expected ?? input.written;
  const rule = input.policy === 'abort' || input.policy === 'drop' ? 'exactly' : 'at least';
  const base = { namespace: input.namespace, policy: input.policy, written: input.written, expected, rule } as const;
  const exists = (await db.listCollections({ name }, { nameOnly: true }).toArray()).length > 0;
  if (!exists) {
    const but = expected === 0 ? 'but the job created it there' : `but ${writtenText(input.written, expected)}`;
    return { ...base, counted: false, ok: false, sentence: `${input.namespace} is gone from the target, ${but}.` };
  }
  const fits = (count: number) => (rule === 'exactly' ? count === expected : count >= expected);
  const collection = db.collection(name);
  // Views-backed collections (time-series on some servers) refuse the estimate: the exact count decides.
  const estimated = await collection.estimatedDocumentCount().catch(() => undefined);
  if (estimated !== undefined && fits(estimated))
    return {
      ...base,
      target: estimated,
      counted: false,
      ok: true,
      sentence: agreed(input.namespace, estimated, rule, expected),
    };
  const exact = await collection.countDocuments({});
  if (fits(exact))
    return {
      ...base,
      target: exact,
      counted: true,
      ok: true,
      sentence: agreed(input.namespace, exact, rule, expected),
    };
  const sentence =
    rule === 'exactly'
      ? `${input.namespace} holds ${documents(exact)} on the target, but ${writtenText(input.written, expected)}.`
      : `${input.namespace} holds ${documents(exact)} on the target, fewer than the ${n(expected)} it must hold (${documents(input.written)} written to it).`;
  return { ...base, target: exact, counted: true, ok: false, sentence };
}

function writtenText(written: number, expected: number): string {
  if (written === expected) return `${documents(written)} ${written === 1 ? 'was' : 'were'} written to it`;
  return `it must hold ${documents(expected)} (${n(written)} written to it)`;
}

function agreed(namespace: string, count: number, rule: 'exactly' | 'at least', expected: number): string {
  return rule === 'exactly' || count === expected
    ? `${namespace} holds ${documents(count)} on the target, as written.`
    : `${namespace} holds ${documents(count)} on the target, at least the ${n(expected)} written.`;
}

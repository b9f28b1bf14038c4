/**
 * Which namespaces a copy takes and where each one lands: include/exclude filters and renames,
 * in the notation database people know from mongodump/mongorestore (`db.coll`, `db.*`).
 *
 *   include  sales.*            every collection of sales
 *   exclude  sales.tmp_*        but not the tmp_ ones
 *   rename   sales.orders->archive.orders_2024    one collection
 *   rename   sales.*->sales_copy.*                 a whole database
 */
import { BadRequestError } from '../api/index';

export interface NamespaceRules {
  include?: string[];
  exclude?: string[];
  renames?: string[];
}

export class NamespaceRuleError extends BadRequestError {
  override name = 'NamespaceRuleError';
}

interface Rename {
  from: RegExp;
  to: string;
  text: string;
}

export interface NamespaceMapper {
  /** Whether the filters select this namespace. */
  selects(db: string, coll: string): boolean;
  /** Where the namespace lands in the target. */
  map(db: string, coll: string): { db: string; coll: string };
}

const DB_NAME = /^[^/\\. "$*<>:|?]+$/;

export function compileNamespaceRules(rules: NamespaceRules): NamespaceMapper {
  const include = (rules.include ?? []).map((p) => ({ text: p, re: patternToRegExp(checkPattern(p, 'include')) }));
  const exclude = (rules.exclude ?? []).map((p) => ({ text: p, re: patternToRegExp(checkPattern(p, 'exclude')) }));
  const renames = (rules.renames ?? []).map(parseRename);
  return {
    selects(db, coll) {
      const ns = `${db}.${coll}`;
      if (include.length > 0 && !include.some((p) => p.re.test(ns))) return false;
      return !exclude.some((p) => p.re.test(ns));
    },
    map(db, coll) {
      const ns = `${db}.${coll}`;
      for (const rename of renames) {
        const match = rename.from.exec(ns);
        if (!match) continue;
        let wildcard = 0;
        const target = rename.to.replace(/\*/g, () => match[++wildcard] ?? '');
        const dot = target.indexOf('.');
        const result = { db: target.slice(0, dot), coll: target.slice(dot + 1) };
        if (!DB_NAME.test(result.db) || !result.coll)
          throw new NamespaceRuleError(
            `Rename "${rename.text}" turns ${ns} into "${target}", which is not a valid namespace.`,
          );
        return result;
      }
      return { db, coll };
    },
  };
}

function checkPattern(pattern: string, what: string): string {
  const p = pattern.trim();
  const dot = p.indexOf('.');
  if (dot <= 0 || dot === p.length - 1)
    throw new NamespaceRuleError(
      `The ${what} pattern "${pattern}" must look like db.collection (use * as a wildcard, e.g. sales.* or *.logs).`,
    );
  return p;
}

function patternToRegExp(pattern: string): RegExp {
  const dot = pattern.indexOf('.');
  const part = (text: string, dbPart: boolean) =>
    text
      .split('*')
      .map(escape)
      .join(dbPart ? '([^.]*)' : '(.*)');
  return new RegExp(`^${part(pattern.slice(0, dot), true)}\\.${part(pattern.slice(dot + 1), false)}$`);
}

function parseRename(text: string): Rename {
  const [from, to, extra] = text.split(/->|=>/).map((s) => s.trim());
  if (!from || !to || extra !== undefined)
    throw new NamespaceRuleError(`The rename "${text}" must look like db.coll->db2.coll2 or db.*->db2.*.`);
  checkPattern(from, 'rename');
  checkPattern(to, 'rename');
  const stars = (s: string) => (s.match(/\*/g) ?? []).length;
  if (stars(to) > stars(from))
    throw new NamespaceRuleError(`The rename "${text}" has more * on the right than on the left.`);
  return { from: patternToRegExp(from), to, text };
}

function escape(text: string): string {
  return text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
}

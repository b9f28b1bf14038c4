/**
 * Plain text connection files (one connection string per line; # and // comments and blank lines are
 * ignored) and .env files (variables whose values are connection strings). A line that assigns a
 * variable is read by dotenv's own parser (quotes, escapes, `export`, trailing comments), one line at a
 * time so that every entry keeps its line number.
 */
import dotenv from 'dotenv';
import { looksLikeConnectionString } from '../connection-string';
import { describeConnection } from '../saved-connections/uri-secrets';
import { cooperative } from './cooperative';
import { MAX_CONNECTION_ENTRIES, tooManyEntries, type ParsedConnectionFile } from './types';

/** A line that assigns a variable (its value is read by dotenv). */
const ENV_LINE = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=/;
const VERSIA_HANDLE = /^@[^@\s]+@[^@\s]+$/;

/** Each line is parsed once; the event loop is handed back as it goes; at most MAX_CONNECTION_ENTRIES entries. */
export async function readTextConnections(text: string, limit = MAX_CONNECTION_ENTRIES): Promise<ParsedConnectionFile> {
  const result: ParsedConnectionFile = { format: 'text', entries: [], errors: [] };
  const pause = cooperative();
  for (const [index, raw] of linesOf(text)) {
    await pause();
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith('//')) continue;
    const env = ENV_LINE.exec(line);
    if (env) result.format = 'env';
    const name = env?.[1];
    const value = env ? (dotenv.parse(line)[env[1]] ?? '') : line;
    if (!looksLikeConnectionString(value) && !VERSIA_HANDLE.test(value)) continue; // not ours (other variables, prose)
    if (result.entries.length >= limit) {
      result.errors.push(tooManyEntries(limit));
      break;
    }
    const where = `line ${index + 1}`;
    try {
      const { uri, kind, host, redactedUri, identity } = describeConnection(value);
      result.entries.push({ where, name, uri, kind, host, redactedUri, identity });
    } catch (error) {
      result.entries.push({ where, name, error: (error as Error).message });
    }
  }
  return result;
}

/** [index, line] of each line (LF or CRLF), without splitting a large text into one array up front. */
function* linesOf(text: string): Generator<[number, string]> {
  let start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (let index = 0; start <= text.length; index++) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    yield [index, text.slice(start, end > start && text.charCodeAt(end - 1) === 13 ? end - 1 : end)];
    start = end + 1;
  }
}

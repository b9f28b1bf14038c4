/**
 * Plain text connection files (one connection string per line; # and // comments and blank lines are
 * ignored) and .env files (variables whose values are connection strings).
 */
import { looksLikeConnectionString, parseConnectionString } from '../connection-string';
import type { ParsedConnectionFile } from './types';

const ENV_LINE = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/;
const VERSIA_HANDLE = /^@[^@\s]+@[^@\s]+$/;

export function readTextConnections(text: string): ParsedConnectionFile {
  const result: ParsedConnectionFile = { format: 'text', entries: [], errors: [] };
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith('//')) return;
    const env = ENV_LINE.exec(line);
    if (env) result.format = 'env';
    const name = env?.[1];
    const value = env ? unquote(env[2]) : line;
    if (!looksLikeConnectionString(value) && !VERSIA_HANDLE.test(value)) return; // not ours (other variables, prose)
    const where = `line ${index + 1}`;
    try {
      const parsed = parseConnectionString(value);
      result.entries.push({ where, name, uri: parsed.uri, kind: parsed.kind });
    } catch (error) {
      result.entries.push({ where, name, error: (error as Error).message });
    }
  });
  return result;
}

function unquote(value: string): string {
  const v = value.trim();
  if ((v.startsWith('"') && v.endsWith('"')) || (v.startsWith("'") && v.endsWith("'"))) return v.slice(1, -1);
  return v.replace(/\s+#.*$/, '');
}

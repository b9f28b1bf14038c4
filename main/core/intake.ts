/**
 * The one intake for files that may hold connections, however they arrive (dropped on the window,
 * opened by double-click, passed in argv, sent to a running instance, File > Open).
 * It finds connection strings in plain text files (one per line, # comments) and .env files
 * (variables whose values are connection strings), and says clearly what it could not read.
 */
import { open as openFile } from 'node:fs/promises';
import path from 'node:path';
import { looksLikeConnectionString, parseConnectionString, type ParsedConnection } from './connection-string';

export const MAX_CONNECTION_FILE_BYTES = 10 * 1024 * 1024;

export interface IntakeFound {
  fileName: string;
  found: Array<{ parsed: ParsedConnection; name?: string }>;
  errors: string[];
}

export function intakeText(fileName: string, text: string): IntakeFound {
  const base = path.basename(fileName);
  const result: IntakeFound = { fileName: base, found: [], errors: [] };
  if (text.includes('\u0000')) {
    result.errors.push(`${base}: not a connection file (it is binary, not text).`);
    return result;
  }
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith('//')) return;
    const env = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    const name = env?.[1];
    const value = env ? unquote(env[2]) : line;
    if (!looksLikeConnectionString(value) && !/^@[^@\s]+@[^@\s]+$/.test(value)) return; // not ours (other variables, prose, data)
    try {
      result.found.push({ parsed: parseConnectionString(value), name });
    } catch (error) {
      result.errors.push(`${base} line ${index + 1}: ${(error as Error).message}`);
    }
  });
  if (result.found.length === 0 && result.errors.length === 0) {
    result.errors.push(`${base}: not a connection file (no connection string found in it).`);
  }
  return result;
}

export async function intakeFile(filePath: string): Promise<IntakeFound> {
  const base = path.basename(filePath);
  let handle;
  try {
    handle = await openFile(filePath, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'the file does not exist' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'it is a folder' : (error as Error).message;
    return { fileName: base, found: [], errors: [`${base}: cannot open (${why}).`] };
  }
  try {
    const { size } = await handle.stat();
    if (size > MAX_CONNECTION_FILE_BYTES) {
      return { fileName: base, found: [], errors: [`${base}: not a connection file (${(size / 1024 / 1024).toFixed(1)} MB is far larger than any connection file).`] };
    }
    const bytes = await handle.readFile();
    const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
    return intakeText(filePath, text);
  } finally {
    await handle.close();
  }
}

function unquote(value: string): string {
  const v = value.trim();
  if ((v.startsWith('"') && v.endsWith('"')) || (v.startsWith("'") && v.endsWith("'"))) return v.slice(1, -1);
  return v.replace(/\s+#.*$/, '');
}

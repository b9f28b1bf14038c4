/**
 * The manifest of an installable provider: the `cutover` field of its package.json (id, apiVersion,
 * entry, publisher, connection kinds, declared needs), read and checked without running any of its code.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { apiVersion, apiVersionProblem } from '../../../providers/api/version';
import { CutoverError } from '../../../providers/api/errors';

const KNOWN_KINDS = ['mongodb', 'postgres', 'mysql', 'versia', 'file'] as const;

export const ProviderNeedsSchema = z
  .object({
    /** The connection's raw credentials (else the provider gets the redacted connection only). */
    credentials: z.boolean().default(false),
    /** Where it connects: the connection's own hosts, and any others it names (shown, not enforced). */
    network: z
      .object({
        connectionHosts: z.boolean().default(false),
        others: z.array(z.string().min(1).max(300)).max(50).default([]),
      })
      .strict()
      .default({ connectionHosts: false, others: [] }),
    /** Files: none, or only those the person picks. */
    files: z.enum(['none', 'picked']).default('none'),
  })
  .strict();

export const CutoverFieldSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,99}$/i, 'use letters, digits, dot, dash or underscore (at most 100)'),
    apiVersion: z.string().min(1),
    entry: z.string().min(1),
    publisher: z.string().min(1).max(200),
    label: z.string().min(1).max(200).optional(),
    /** `documentdb-v0.3`: the entry exports a DocumentDB for VS Code MigrationProvider (v0.3). */
    shape: z.enum(['cutover', 'documentdb-v0.3']).default('cutover'),
    connectionKinds: z.array(z.enum(KNOWN_KINDS)).max(20).default([]),
    needs: ProviderNeedsSchema.default({
      credentials: false,
      network: { connectionHosts: false, others: [] },
      files: 'none',
    }),
  })
  .strict();

export type ProviderNeeds = z.output<typeof ProviderNeedsSchema>;

export interface ProviderManifest extends z.output<typeof CutoverFieldSchema> {
  /** package.json name and version. */
  packageName: string;
  version: string;
  description: string;
  label: string;
  homepage?: string;
}

export class ManifestError extends CutoverError {
  override name = 'ManifestError';
}

/** Checks a parsed package.json (`where` names it in errors). */
export function parseManifest(pkg: unknown, where: string): ProviderManifest {
  if (!pkg || typeof pkg !== 'object') throw new ManifestError(`${where} is not a JSON object.`);
  const p = pkg as Record<string, unknown>;
  if (!('cutover' in p))
    throw new ManifestError(
      `${where} has no "cutover" field: it is not a Cutover provider (see the provider API's README).`,
    );
  const parsed = CutoverFieldSchema.safeParse(p.cutover);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ManifestError(`${where}: "cutover.${issue.path.join('.')}" ${issue.message}.`);
  }
  const field = parsed.data;
  const problem = apiVersionProblem(field.apiVersion, apiVersion);
  if (problem) throw new ManifestError(`Provider "${field.id}" cannot run here: ${problem}`);
  const entry = path.posix.normalize(field.entry.replace(/\\/g, '/'));
  if (entry.startsWith('../') || entry === '..' || path.posix.isAbsolute(entry))
    throw new ManifestError(`${where}: "cutover.entry" must be a file inside the package, not ${field.entry}.`);
  const version = typeof p.version === 'string' ? p.version : '0.0.0';
  const packageName = typeof p.name === 'string' ? p.name : field.id;
  return {
    ...field,
    entry,
    packageName,
    version,
    description: typeof p.description === 'string' ? p.description : '',
    label: field.label ?? (typeof p.displayName === 'string' ? p.displayName : packageName),
    homepage: typeof p.homepage === 'string' && /^https?:\/\//.test(p.homepage) ? p.homepage : undefined,
  };
}

export async function readManifest(dir: string): Promise<ProviderManifest> {
  const file = path.join(dir, 'package.json');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new ManifestError(`${dir} has no package.json: a provider is a folder or an npm pack tarball with one.`);
  }
  let pkg: unknown;
  try {
    pkg = JSON.parse(text);
  } catch (error) {
    throw new ManifestError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
  return parseManifest(pkg, file);
}

/** The declared needs in sentences, for the consent question, the Providers screen and the CLI. */
export function describeNeeds(manifest: Pick<ProviderManifest, 'needs'>): string[] {
  const { needs } = manifest;
  const lines = [
    needs.credentials
      ? "Uses the connection's user name and password (raw credentials)."
      : 'Gets the connection without its password.',
  ];
  const where = [needs.network.connectionHosts ? "the connection's own servers" : '', ...needs.network.others].filter(
    Boolean,
  );
  lines.push(where.length ? `Connects to ${where.join(', ')}.` : 'Declares no network connections.');
  lines.push(needs.files === 'picked' ? 'Reads or writes files the person picks.' : 'Declares no file access.');
  return lines;
}

/**
 * The administrator's provider policy: a JSON file at a system-wide path (per OS; `CUTOVER_POLICY`
 * overrides it) that may allow only listed provider ids, each optionally pinned to a package hash
 * (SHA-256 of the tarball as installed, or of a deterministic tar of an installed folder).
 * The host checks it before any of a provider's code is loaded. A policy that cannot be read allows
 * nothing (it fails closed) and says why.
 *
 *   { "providers": { "allow": ["com.example.report", { "id": "org.x.copy", "sha256": "ab12…" }] } }
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

const PolicySchema = z.object({
  providers: z
    .object({
      allow: z.array(
        z.union([
          z.string().min(1),
          z
            .object({
              id: z.string().min(1),
              sha256: z
                .string()
                .regex(/^[0-9a-f]{64}$/i)
                .optional(),
            })
            .strict(),
        ]),
      ),
    })
    .optional(),
});

export interface ProviderPolicy {
  /** The file it came from (named in refusals). */
  file: string;
  /** Allowed ids and their pinned hash (undefined: any). Undefined allow: every provider may run. */
  allow?: Map<string, string | undefined>;
  /** Why the file could not be used (then nothing is allowed). */
  problem?: string;
}

export function defaultPolicyPath(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string {
  if (env.CUTOVER_POLICY) return env.CUTOVER_POLICY;
  if (platform === 'win32') return path.win32.join(env.ProgramData ?? 'C:\\ProgramData', 'Cutover', 'policy.json');
  if (platform === 'darwin') return '/Library/Application Support/Cutover/policy.json';
  return '/etc/cutover/policy.json';
}

/** The policy in force, or undefined when there is no policy file. Read fresh each time: admins edit it. */
export function loadPolicy(file: string = defaultPolicyPath()): ProviderPolicy | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    return { file, problem: `it cannot be read (${(error as Error).message})` };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { file, problem: `it is not valid JSON (${(error as Error).message})` };
  }
  const parsed = PolicySchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { file, problem: `${issue.path.join('.') || 'its content'}: ${issue.message}` };
  }
  if (!parsed.data.providers) return { file };
  const allow = new Map<string, string | undefined>();
  for (const entry of parsed.data.providers.allow) {
    if (typeof entry === 'string') allow.set(entry, undefined);
    else allow.set(entry.id, entry.sha256?.toLowerCase());
  }
  return { file, allow };
}

/** Why the policy refuses this provider (a sentence naming the policy file), or undefined when it allows it. */
export function policyRefusal(
  policy: ProviderPolicy | undefined,
  id: string,
  sha256: string | undefined,
): string | undefined {
  if (!policy) return undefined;
  if (policy.problem)
    return `The administrator's policy ${policy.file} could not be used (${policy.problem}), so no installed provider may run; provider "${id}" was not loaded.`;
  if (!policy.allow) return undefined;
  if (!policy.allow.has(id))
    return `The administrator's policy ${policy.file} does not allow provider "${id}"; it was not loaded.`;
  const pinned = policy.allow.get(id);
  if (pinned && pinned !== sha256?.toLowerCase())
    return `The administrator's policy ${policy.file} allows provider "${id}" only with package hash ${pinned}, and this package's hash is ${sha256 ?? 'unknown'}; it was not loaded.`;
  return undefined;
}

/** True when the policy names this id explicitly (that counts as consent, for the CLI). */
export function policyListed(policy: ProviderPolicy | undefined, id: string): boolean {
  return !!policy?.allow?.has(id) && !policy.problem;
}

/**
 * The version of the provider API. A provider's manifest names the apiVersion it was built against
 * (`cutover.apiVersion`); the host loads it when the major versions match and the host's minor is at
 * least the provider's.
 */
export const apiVersion = '1.0.0';
export const API_MAJOR = 1;

/** Why a provider built against `wanted` cannot run on this API, or undefined when it can. */
export function apiVersionProblem(wanted: string, have: string = apiVersion): string | undefined {
  const parse = (v: string) => /^(\d+)\.(\d+)(?:\.(\d+))?$/.exec(v.trim());
  const w = parse(wanted);
  const h = parse(have);
  if (!w || !h)
    return `apiVersion "${wanted}" is not a version (write it as MAJOR.MINOR, e.g. "${have.replace(/\.\d+$/, '')}").`;
  if (w[1] !== h[1])
    return `it was built for provider API ${wanted}, and this Cutover speaks ${have} (major versions differ).`;
  if (Number(w[2]) > Number(h[2]))
    return `it needs provider API ${wanted}, newer than this Cutover's ${have}: update Cutover.`;
  return undefined;
}

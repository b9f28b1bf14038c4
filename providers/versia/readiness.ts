/**
 * "Check readiness": both instances speak Versia v0.6 and list `pub.versia:migration`, Cutover has an
 * adapter for their software, and both accounts resolve (WebFinger, then the signed User entity).
 */
import type { VersiaAccount } from './account';
import { adapterFor, ADAPTERS, notSupportedMessage, type AdapterFactory } from './adapters/index';
import { MIGRATION_EXTENSION, type FederationClient, type InstanceMetadata } from './protocol/index';

export interface SideReport {
  account: VersiaAccount;
  metadata?: InstanceMetadata;
  reference?: string;
  /** One line per check: [check, outcome]. */
  checks: Array<[string, string]>;
  problems: string[];
}

export async function checkSide(client: FederationClient, account: VersiaAccount, role: 'old' | 'new', adapters: readonly AdapterFactory[] = ADAPTERS): Promise<SideReport> {
  const report: SideReport = { account, checks: [], problems: [] };
  const label = role === 'old' ? 'The old instance' : 'The new instance';
  try {
    const { versions, metadata } = await client.discover(account.domain);
    report.metadata = metadata;
    const speaks06 = versions.some((v) => v.startsWith('0.6')) && metadata.compatibility.versions.some((v) => v.startsWith('0.6'));
    report.checks.push(['Versia v0.6', speaks06 ? `yes (${versions.join(', ')})` : `no (${versions.join(', ')})`]);
    if (!speaks06) report.problems.push(`${label} ${account.domain} does not speak Versia v0.6 (it lists ${versions.join(', ')}).`);
    const hasExtension = metadata.compatibility.extensions.includes(MIGRATION_EXTENSION);
    report.checks.push([MIGRATION_EXTENSION, hasExtension ? 'listed' : 'missing']);
    if (!hasExtension) {
      report.problems.push(
        `${label} ${account.domain} (${metadata.software.name} ${metadata.software.version}) does not implement the migration extension (${MIGRATION_EXTENSION} is not in its compatibility extensions). Today's public Versia servers do not implement it yet, so accounts cannot be moved from or to them.`,
      );
    }
    const adapter = adapterFor(metadata.software.name, adapters);
    report.checks.push(['Software', `${metadata.software.name} ${metadata.software.version}${adapter ? '' : ' (no adapter)'}`]);
    if (!adapter) report.problems.push(notSupportedMessage(metadata.software, account.domain));
  } catch (error) {
    report.checks.push(['Discovery', 'failed']);
    report.problems.push(`${label} ${account.domain} could not be discovered: ${(error as Error).message}`);
    return report;
  }
  try {
    report.reference = await client.webfinger(account.handle);
    const user = await client.user(report.reference);
    report.checks.push(['Account', `${account.handle} resolves (${report.reference}), signature checked`]);
    const migration = user.extensions?.[MIGRATION_EXTENSION];
    if (role === 'old' && migration?.new) report.problems.push(`${account.handle} has already moved to ${migration.new}.`);
  } catch (error) {
    report.checks.push(['Account', 'does not resolve']);
    report.problems.push(`${account.handle} does not resolve: ${(error as Error).message}`);
  }
  return report;
}

/**
 * The provider platform as the core uses it: install (folder or tarball), list, remove, enable and
 * disable installed providers, each registered as an IsolatedProvider. The administrator's policy is
 * checked at install and again before every load.
 */
import type { MigrationProvider } from '../../../providers/api/index';
import { DEFAULT_LIMITS, IsolatedProvider, type ConsentAsker, type IsolationLimits } from './isolated-provider';
import { forkLauncher, type ProviderProcessLauncher } from './launcher';
import { describeNeeds, type ProviderManifest } from './manifest';
import { defaultPolicyPath, loadPolicy, policyRefusal } from './policy';
import { ProviderStore, type InstalledProvider } from './store';

export interface ProviderPlatformOptions {
  dataDir: string;
  /** The policy file (default: the system path, or CUTOVER_POLICY). */
  policyFile?: string;
  consent?: ConsentAsker;
  preAllowed?: Iterable<string>;
  launcher?: ProviderProcessLauncher;
  childScript?: string;
  limits?: Partial<IsolationLimits>;
}

/** What the Providers screen and `cutover providers list` show. */
export interface InstalledProviderInfo {
  id: string;
  label: string;
  description: string;
  publisher: string;
  version: string;
  apiVersion: string;
  shape: ProviderManifest['shape'];
  connectionKinds: string[];
  needs: string[];
  needsCredentials: boolean;
  enabled: boolean;
  allowed: boolean;
  sha256: string;
  /** Why the administrator's policy would refuse it now, if it would. */
  blockedReason?: string;
}

export class ProviderPlatform {
  readonly store: ProviderStore;
  private readonly policyFile: string;
  private readonly limits: IsolationLimits;
  private readonly launcher: ProviderProcessLauncher;
  private readonly preAllowed: Set<string>;

  constructor(private readonly options: ProviderPlatformOptions) {
    this.store = new ProviderStore(options.dataDir);
    this.policyFile = options.policyFile ?? defaultPolicyPath();
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.launcher = options.launcher ?? forkLauncher;
    this.preAllowed = new Set(options.preAllowed ?? []);
  }

  private info(installed: InstalledProvider): InstalledProviderInfo {
    const m = installed.manifest;
    return {
      id: m.id,
      label: m.label,
      description: m.description,
      publisher: m.publisher,
      version: m.version,
      apiVersion: m.apiVersion,
      shape: m.shape,
      connectionKinds: m.connectionKinds,
      needs: describeNeeds(m),
      needsCredentials: m.needs.credentials,
      enabled: installed.state.enabled,
      allowed: installed.state.allowed,
      sha256: installed.state.sha256,
      blockedReason: policyRefusal(loadPolicy(this.policyFile), m.id, installed.state.sha256),
    };
  }

  async list(): Promise<InstalledProviderInfo[]> {
    return (await this.store.list()).map((p) => this.info(p));
  }

  /** Installs (or replaces) a provider; refused when the policy does not allow it. `builtinIds` may not be taken. */
  async install(source: string, builtinIds: ReadonlySet<string> = new Set()): Promise<InstalledProviderInfo> {
    const installed = await this.store.install(source, (manifest, sha256) => {
      if (builtinIds.has(manifest.id))
        throw new Error(`Provider id "${manifest.id}" belongs to a provider built into Cutover; choose another id.`);
      const refusal = policyRefusal(loadPolicy(this.policyFile), manifest.id, sha256);
      if (refusal) throw new Error(refusal.replace(/; it was not loaded\.$/, '; it was not installed.'));
    });
    return this.info(installed);
  }

  async remove(id: string): Promise<void> {
    await this.store.remove(id);
  }

  async setEnabled(id: string, enabled: boolean): Promise<InstalledProviderInfo> {
    await this.store.update(id, { enabled });
    const installed = await this.store.get(id);
    return this.info(installed!);
  }

  /** A provider object for an installed provider (its code loads only when it is used). */
  provider(manifest: ProviderManifest): MigrationProvider {
    return new IsolatedProvider(manifest, {
      store: this.store,
      policyFile: this.policyFile,
      consent: this.options.consent,
      preAllowed: this.preAllowed,
      launcher: this.launcher,
      childScript: this.options.childScript,
      limits: this.limits,
    });
  }

  /** Provider objects for the enabled installed providers. */
  async enabledProviders(): Promise<MigrationProvider[]> {
    return (await this.store.list()).filter((p) => p.state.enabled).map((p) => this.provider(p.manifest));
  }
}

/**
 * A provider's own log (provider-data/<id>/provider.log): credentials in URIs are redacted, and once
 * the file passes its limit it is moved to provider.log.1 (replacing the older one), so it stays bounded.
 */
import { appendFile, mkdir, rename, stat } from 'node:fs/promises';
import path from 'node:path';
import { redactSecretsInText } from '../../../providers/api/connection';

export class BoundedLog {
  private chain: Promise<void> = Promise.resolve();
  readonly file: string;

  constructor(
    dir: string,
    private readonly maxBytes = 1024 * 1024,
  ) {
    this.file = path.join(dir, 'provider.log');
  }

  write(level: 'info' | 'warning' | 'error', message: string): Promise<void> {
    const line = `${new Date().toISOString()} ${level.toUpperCase()} ${redactSecretsInText(message).slice(0, 4000)}\n`;
    this.chain = this.chain
      .then(async () => {
        await mkdir(path.dirname(this.file), { recursive: true });
        const size = (await stat(this.file).catch(() => undefined))?.size ?? 0;
        if (size + line.length > this.maxBytes) await rename(this.file, `${this.file}.1`);
        await appendFile(this.file, line, { mode: 0o600 });
      })
      .catch(() => undefined);
    return this.chain;
  }
}

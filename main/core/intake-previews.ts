/**
 * Between reading a file and saving what it holds: the intake's result kept on the main side (with
 * its secrets, and the text for a second reading with a passphrase) under a preview id, while the
 * window shows redacted entries, duplicates and errors and the person chooses what to import.
 */
import { randomUUID } from 'node:crypto';
import type { IntakeEntry, IntakeResult, SavedConnection } from '../../preload/contract';
import { cooperative } from './connection-files/cooperative';
import { BadRequestError, NotFoundError } from '../../providers/api/errors';
import { intakeText, type IntakeFound } from './intake';
import type { SavedConnectionStore } from './saved-connections/store';
import { describeConnection } from './saved-connections/uri-secrets';

/** Previews kept at most (oldest dropped first): each holds a file of at most 10 MB. */
const MAX_PREVIEWS = 20;

export class IntakePreviewError extends BadRequestError {
  override name = 'IntakePreviewError';
}

interface Kept {
  found: IntakeFound;
  /** entryId -> index in found.entries */
  ids: Map<string, number>;
}

export class IntakePreviews {
  private readonly kept = new Map<string, Kept>();

  constructor(private readonly saved: SavedConnectionStore) {}

  async create(found: IntakeFound, previewId: string = randomUUID()): Promise<IntakeResult> {
    const base: IntakeResult = {
      fileName: found.fileName,
      connections: [],
      errors: found.errors,
      category: found.category,
    };
    if (found.category !== 'connection-file' || !found.format || found.entries.length === 0) return base;
    const ids = new Map(found.entries.map((_, index) => [`${previewId}:${index}`, index]));
    this.kept.delete(previewId);
    this.kept.set(previewId, { found, ids });
    while (this.kept.size > MAX_PREVIEWS) this.kept.delete(this.kept.keys().next().value!);
    // Duplicates: one index of the saved connections, one lookup per entry; the event loop is handed back as it goes.
    const saved = await this.saved.byIdentity();
    const pause = cooperative();
    const entries: IntakeEntry[] = [];
    for (const [entryId, index] of ids) {
      await pause();
      entries.push(this.entryOf(entryId, found.entries[index], saved));
    }
    return { ...base, preview: { previewId, format: found.format, entries, needsPassphrase: !!found.needsPassphrase } };
  }

  /** Reads the same file again with the passphrase; the preview keeps its id. */
  async unlock(previewId: string, passphrase: string): Promise<IntakeResult> {
    const kept = this.require(previewId);
    if (!kept.found.content) throw new IntakePreviewError(`${kept.found.fileName} holds no encrypted secrets.`);
    const again = await intakeText(kept.found.fileName, kept.found.content, { passphrase });
    return this.create(again, previewId);
  }

  /** Saves the chosen entries, all or none. The preview is then forgotten. */
  async commit(previewId: string, entryIds: string[]): Promise<SavedConnection[]> {
    const kept = this.require(previewId);
    const { found } = kept;
    if (found.needsPassphrase)
      throw new IntakePreviewError(`${found.fileName} holds encrypted secrets: enter its passphrase before importing.`);
    const chosen = entryIds.map((entryId) => {
      const index = kept.ids.get(entryId);
      if (index === undefined) throw new IntakePreviewError(`${found.fileName}: no entry ${entryId} in this preview.`);
      const entry = found.entries[index];
      if (!entry.uri || entry.error)
        throw new IntakePreviewError(
          `${found.fileName} ${entry.where} cannot be imported: ${entry.error ?? 'it holds no connection string'}`,
        );
      return { uri: entry.uri, name: entry.name, favourite: entry.favourite, lastUsed: entry.lastUsed };
    });
    const saved = await this.saved.addMany(chosen);
    this.kept.delete(previewId);
    return saved;
  }

  discard(previewId: string): void {
    this.kept.delete(previewId);
  }

  private require(previewId: string): Kept {
    const kept = this.kept.get(previewId);
    if (!kept) throw new NotFoundError('This file preview is no longer available: open or drop the file again.');
    return kept;
  }

  private entryOf(
    entryId: string,
    entry: IntakeFound['entries'][number],
    saved: Map<string, SavedConnection>,
  ): IntakeEntry {
    if (!entry.uri || entry.error)
      return {
        entryId,
        where: entry.where,
        name: entry.name ?? entry.where,
        error: entry.error ?? 'no connection string',
      };
    // Readers describe each entry when they parse it; only an entry from elsewhere is parsed here.
    const described =
      entry.identity && entry.host !== undefined && entry.redactedUri !== undefined && entry.kind
        ? { kind: entry.kind, host: entry.host, redactedUri: entry.redactedUri, identity: entry.identity }
        : describeConnection(entry.uri);
    const duplicate = saved.get(described.identity);
    return {
      entryId,
      where: entry.where,
      name: entry.name?.trim() || described.host,
      kind: described.kind,
      host: described.host,
      redactedUri: described.redactedUri,
      ...(duplicate ? { duplicateOf: { id: duplicate.id, name: duplicate.name } } : {}),
    };
  }
}

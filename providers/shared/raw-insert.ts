/**
 * Inserting documents that are already BSON (read raw from a source cursor) without decoding and
 * re-encoding them: the bytes go to the target as they came, so a copy is byte-exact by construction
 * and costs the client almost no CPU.
 *
 * The `insert` command carries its documents in an OP_MSG document sequence (a kind-1 section: the
 * documents' bytes one after another). The official driver builds such sections from the
 * `DocumentSequence` class of its wire layer, which it uses itself for inserts; it is not part of the
 * driver's public API, so it is looked up here and, should a driver version lack it, `rawInsertSupported`
 * is false and callers decode the documents instead (see BatchWriter). A test pins that the installed
 * driver has it.
 */
import { createRequire } from 'node:module';
import type { Db, Document } from 'mongodb';

interface DocumentSequenceClass {
  new (field: string): { push(document: unknown, buffer: Uint8Array): number };
}

function findDocumentSequence(): DocumentSequenceClass | undefined {
  try {
    const wire = createRequire(import.meta.url)('mongodb/lib/cmap/commands.js') as { DocumentSequence?: unknown };
    const candidate = wire.DocumentSequence as DocumentSequenceClass | undefined;
    return typeof candidate === 'function' && typeof candidate.prototype?.push === 'function' ? candidate : undefined;
  } catch {
    return undefined;
  }
}

const DocumentSequence = findDocumentSequence();

/** Whether this driver can send raw documents (otherwise callers decode them first). */
export const rawInsertSupported = DocumentSequence !== undefined;

/** The reply of an `insert` command, as far as a batch writer needs it. */
export interface InsertReply {
  n?: number;
  writeErrors?: Array<{ index: number; code: number; errmsg?: string }>;
  writeConcernError?: Document;
}

/**
 * Sends one unordered `insert` of raw BSON documents and returns the server's reply (write errors are
 * in the reply, not thrown). The whole batch must fit one message (48 MB); each document the server's
 * 16 MB limit.
 */
export async function insertRaw(db: Db, collection: string, raws: readonly Uint8Array[], options: { bypassDocumentValidation?: boolean } = {}): Promise<InsertReply> {
  if (!DocumentSequence) throw new Error('This MongoDB driver cannot send raw documents.');
  const documents = new DocumentSequence('documents');
  // The driver keeps `document` only for command monitoring, which this client does not turn on.
  for (const raw of raws) documents.push(null, raw);
  const command: Document = { insert: collection, documents, ordered: false };
  if (options.bypassDocumentValidation) command.bypassDocumentValidation = true;
  return (await db.command(command)) as InsertReply;
}

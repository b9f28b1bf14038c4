/**
 * Writing documents that are already BSON (read raw from a source cursor) without decoding and
 * re-encoding them: the bytes go to the target as they came, so a copy is byte-exact by construction
 * and costs the client almost no CPU. Inserts send the documents themselves; replacements (policy
 * "overwrite") wrap each in an update statement `{ q: { _id }, u: <the document>, upsert: true }` built
 * around its bytes, the `_id` element located with bson's own element parser.
 *
 * The `insert` and `update` commands carry documents or statements in an OP_MSG document sequence (a
 * kind-1 section: the documents' bytes one after another). The official driver builds such sections from
 * the `DocumentSequence` class of its wire layer, which it uses itself for inserts; it is not part of the
 * driver's public API, so it is looked up here and, should a driver version lack it, `rawWritesSupported`
 * is false and callers decode the documents instead (see BatchWriter). package.json pins the driver to
 * the minor this was tested with (~7.9.0), and tests (mongo-writer.test.ts) check that the installed
 * driver is that minor and has it. The wire module is imported statically, so that a bundle that holds the driver (the
 * built command line) holds this very module too: a second copy's class would not be recognised by the
 * driver and the documents would be left out of the command.
 */
import type { Db, Document } from 'mongodb';
import * as wire from 'mongodb/lib/cmap/commands.js';
import { TYPE_BOOLEAN, TYPE_DOCUMENT, bsonDocument, element, idElement } from './raw-bson';

interface DocumentSequenceClass {
  new (field: string): { push(document: unknown, buffer: Uint8Array): number };
}

function findDocumentSequence(): DocumentSequenceClass | undefined {
  const candidate = (wire as { DocumentSequence?: unknown }).DocumentSequence as DocumentSequenceClass | undefined;
  return typeof candidate === 'function' && typeof candidate.prototype?.push === 'function' ? candidate : undefined;
}

const DocumentSequence = findDocumentSequence();

/** Whether this driver can send raw documents (otherwise callers decode them first). */
export const rawWritesSupported = DocumentSequence !== undefined;

/** The reply of an `insert` or `update` command, as far as a batch writer needs it. */
export interface WriteReply {
  n?: number;
  writeErrors?: Array<{ index: number; code: number; errmsg?: string }>;
  writeConcernError?: Document;
}

/**
 * Sends one unordered `insert` of raw BSON documents and returns the server's reply (write errors are
 * in the reply, not thrown). The whole batch must fit one message (48 MB); each document the server's
 * 16 MB limit.
 */
export async function insertRaw(
  db: Db,
  collection: string,
  raws: readonly Uint8Array[],
  options: { bypassDocumentValidation?: boolean } = {},
): Promise<WriteReply> {
  wholeDocuments(raws);
  return send(db, { insert: collection }, 'documents', raws, options);
}

/**
 * Sends one unordered `update` that replaces each document by _id, inserting it where it is missing
 * (upsert), and returns the server's reply; a write error's `index` is the document's place in `raws`.
 */
export async function replaceRaw(
  db: Db,
  collection: string,
  raws: readonly Uint8Array[],
  options: { bypassDocumentValidation?: boolean } = {},
): Promise<WriteReply> {
  wholeDocuments(raws);
  return send(db, { update: collection }, 'updates', raws.map(replaceStatement), options);
}

/**
 * The documents' bytes are sent one after another, so a document that is not whole (its bytes freed or
 * cut short by a fault of ours) would shift or drop the rest without a word from the server: refused
 * here, before anything of the batch is sent.
 */
function wholeDocuments(raws: readonly Uint8Array[]): void {
  raws.forEach((raw, index) => {
    const declared = raw.byteLength >= 5 ? new DataView(raw.buffer, raw.byteOffset, 4).getInt32(0, true) : -1;
    if (declared !== raw.byteLength || raw[raw.byteLength - 1] !== 0)
      throw new Error(
        `document ${index + 1} of the batch is not whole BSON (${raw.byteLength} bytes${declared >= 0 ? `, its length says ${declared}` : ''}); nothing of the batch was sent`,
      );
  });
}

async function send(
  db: Db,
  head: Document,
  field: string,
  payloads: readonly Uint8Array[],
  options: { bypassDocumentValidation?: boolean },
): Promise<WriteReply> {
  if (!DocumentSequence) throw new Error('This MongoDB driver cannot send raw documents.');
  const sequence = new DocumentSequence(field);
  // The driver keeps `document` only for command monitoring, which this client does not turn on.
  for (const payload of payloads) sequence.push(null, payload);
  const command: Document = { ...head, [field]: sequence, ordered: false };
  if (options.bypassDocumentValidation) command.bypassDocumentValidation = true;
  return (await db.command(command)) as WriteReply;
}

/** `{ q: { _id: <the document's _id> }, u: <the document>, upsert: true }`, as BSON, around the document's bytes. */
function replaceStatement(raw: Uint8Array): Uint8Array {
  const q = bsonDocument([idElement(raw)]);
  return bsonDocument([
    element(TYPE_DOCUMENT, 'q', q),
    element(TYPE_DOCUMENT, 'u', raw),
    element(TYPE_BOOLEAN, 'upsert', Uint8Array.of(1)),
  ]);
}

/**
 * A writer thread of the copy: decodes batches of raw BSON (exactly: every BSON wrapper type kept) and
 * writes them to the target through the shared BatchWriter. The copy worker reads; a few of these write,
 * so decoding and encoding use every core the machine has.
 *
 * In:  { type: 'write', id, db, coll, conflict, duplicatesAreOurs, maxDocs, buffer }   (concatenated BSON)
 * Out: { type: 'written', id, skipped, batchSize } | { type: 'failed', id, message } | { type: 'warn', message }
 */
import { parentPort, workerData } from 'node:worker_threads';
import { BSON, MongoClient, type Document } from 'mongodb';
import { BatchWriter, type WritePolicy } from '../shared/mongo-writer';
import type { WriterCommand, WriterReply } from './writer-messages';

const port = parentPort;
if (!port) throw new Error('writer-thread must run in a worker thread');

const EXACT = { promoteValues: false, promoteLongs: false, promoteBuffers: false, bsonRegExp: true } as const;
const { targetUri, timeoutMs } = workerData as { targetUri: string; timeoutMs: number };
const client = new MongoClient(targetUri, { serverSelectionTimeoutMS: timeoutMs, connectTimeoutMS: timeoutMs, appName: 'Cutover copy writer' });
const writers = new Map<string, BatchWriter>();
const post = (reply: WriterReply) => port.postMessage(reply);

function writerFor(db: string, coll: string, conflict: WritePolicy, maxDocs: number): BatchWriter {
  const key = `${db}.${coll}`;
  let writer = writers.get(key);
  if (!writer) {
    writer = new BatchWriter(client.db(db), coll, { conflict, where: key, maxDocs, warn: (message) => post({ type: 'warn', message }) });
    writers.set(key, writer);
  }
  return writer;
}

/** Splits concatenated BSON documents (each starts with its int32 length). */
function decodeAll(bytes: Uint8Array): Document[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const docs: Document[] = [];
  for (let offset = 0; offset < bytes.byteLength; ) {
    const length = view.getInt32(offset, true);
    docs.push(BSON.deserialize(bytes.subarray(offset, offset + length), EXACT));
    offset += length;
  }
  return docs;
}

port.on('message', async (command: WriterCommand) => {
  if (command.type === 'close') {
    await client.close().catch(() => undefined);
    port.close();
    return;
  }
  try {
    const writer = writerFor(command.db, command.coll, command.conflict, command.maxDocs);
    const skipped = await writer.write(decodeAll(new Uint8Array(command.buffer)), { duplicatesAreOurs: command.duplicatesAreOurs, bytes: command.buffer.byteLength });
    post({ type: 'written', id: command.id, skipped, batchSize: writer.batchSize });
  } catch (error) {
    post({ type: 'failed', id: command.id, message: error instanceof Error ? error.message : String(error) });
  }
});

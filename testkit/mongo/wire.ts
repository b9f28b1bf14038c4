/**
 * MongoDB wire protocol framing: message header, OP_MSG, legacy OP_QUERY / OP_REPLY.
 */
import { BSON } from 'bson';
import { encodeReply, type ReplyDoc, validateDocument } from './rawbson.js';

export const OP_REPLY = 1;
export const OP_QUERY = 2004;
export const OP_COMPRESSED = 2012;
export const OP_MSG = 2013;

export const MAX_MESSAGE_SIZE = 48_000_000;
export const MAX_BSON_SIZE = 16 * 1024 * 1024;
/** mongod accepts command documents up to 16 MB + 16 KB of overhead. */
export const MAX_COMMAND_SIZE = MAX_BSON_SIZE + 16 * 1024;

export const FLAG_CHECKSUM = 1 << 0;
export const FLAG_MORE_TO_COME = 1 << 1;
export const FLAG_EXHAUST_ALLOWED = 1 << 16;

export class ProtocolError extends Error {}

export interface MessageHeader {
  length: number;
  requestId: number;
  responseTo: number;
  opCode: number;
}

export function readHeader(buf: Buffer): MessageHeader {
  return {
    length: buf.readInt32LE(0),
    requestId: buf.readInt32LE(4),
    responseTo: buf.readInt32LE(8),
    opCode: buf.readInt32LE(12),
  };
}

/** A parsed request, independent of the opcode that carried it. */
export interface Request {
  header: MessageHeader;
  /** the command body bytes (kind-0 section or OP_QUERY query) */
  body: Buffer;
  /** kind-1 document sequences: identifier -> [buffer, offset] of each document */
  sequences: Map<string, Buffer[]>;
  moreToCome: boolean;
  legacy: boolean;
  /** OP_QUERY full collection name, e.g. "admin.$cmd" */
  legacyNamespace?: string;
}

export function parseOpMsg(msg: Buffer, header: MessageHeader): Request {
  if (msg.length < 21) throw new ProtocolError('OP_MSG too short');
  const flags = msg.readUInt32LE(16);
  let end = msg.length;
  if (flags & FLAG_CHECKSUM) end -= 4;
  // bits 0-15 are "required": unknown ones must be rejected
  if ((flags & 0xffff & ~(FLAG_CHECKSUM | FLAG_MORE_TO_COME)) !== 0)
    throw new ProtocolError(`unsupported OP_MSG flag bits 0x${flags.toString(16)}`);
  let pos = 20;
  let body: Buffer | undefined;
  const sequences = new Map<string, Buffer[]>();
  while (pos < end) {
    const kind = msg[pos++];
    if (kind === 0) {
      if (body) throw new ProtocolError('OP_MSG has more than one body section');
      if (pos + 4 > end) throw new ProtocolError('truncated body section');
      const len = msg.readInt32LE(pos);
      if (len < 5 || pos + len > end) throw new ProtocolError('invalid body section length');
      if (len > MAX_COMMAND_SIZE) throw new ProtocolError(`command document of ${len} bytes is too large`);
      validateDocument(msg, pos, pos + len);
      body = msg.subarray(pos, pos + len);
      pos += len;
    } else if (kind === 1) {
      if (pos + 4 > end) throw new ProtocolError('truncated sequence section');
      const size = msg.readInt32LE(pos);
      const secEnd = pos + size;
      if (size < 5 || secEnd > end) throw new ProtocolError('invalid sequence section length');
      const idEnd = msg.indexOf(0, pos + 4);
      if (idEnd < 0 || idEnd >= secEnd) throw new ProtocolError('unterminated sequence identifier');
      const id = msg.toString('utf8', pos + 4, idEnd);
      const docs: Buffer[] = [];
      let p = idEnd + 1;
      while (p < secEnd) {
        if (p + 4 > secEnd) throw new ProtocolError('truncated document in sequence');
        const len = msg.readInt32LE(p);
        if (len < 5 || p + len > secEnd) throw new ProtocolError('invalid document length in sequence');
        docs.push(msg.subarray(p, p + len));
        p += len;
      }
      if (sequences.has(id)) throw new ProtocolError(`duplicate document sequence '${id}'`);
      sequences.set(id, docs);
      pos = secEnd;
    } else {
      throw new ProtocolError(`unknown OP_MSG section kind ${kind}`);
    }
  }
  if (!body) throw new ProtocolError('OP_MSG without a body section');
  return { header, body, sequences, moreToCome: (flags & FLAG_MORE_TO_COME) !== 0, legacy: false };
}

export function parseOpQuery(msg: Buffer, header: MessageHeader): Request {
  let pos = 20; // header + flags
  const nsEnd = msg.indexOf(0, pos);
  if (nsEnd < 0) throw new ProtocolError('OP_QUERY without a namespace');
  const ns = msg.toString('utf8', pos, nsEnd);
  pos = nsEnd + 1 + 8; // skip numberToSkip, numberToReturn
  if (pos + 4 > msg.length) throw new ProtocolError('OP_QUERY without a query');
  const len = msg.readInt32LE(pos);
  if (len < 5 || pos + len > msg.length) throw new ProtocolError('invalid OP_QUERY query length');
  validateDocument(msg, pos, pos + len);
  return {
    header,
    body: msg.subarray(pos, pos + len),
    sequences: new Map(),
    moreToCome: false,
    legacy: true,
    legacyNamespace: ns,
  };
}

let nextRequestId = 1;

function writeHeader(out: Buffer, responseTo: number, opCode: number): void {
  out.writeInt32LE(out.length, 0);
  out.writeInt32LE(nextRequestId++ & 0x7fffffff, 4);
  out.writeInt32LE(responseTo, 8);
  out.writeInt32LE(opCode, 12);
}

/** OP_MSG reply with a single kind-0 section. */
export function buildOpMsgReply(responseTo: number, doc: ReplyDoc): Buffer {
  const out = encodeReply(doc, 21);
  writeHeader(out, responseTo, OP_MSG);
  out.writeUInt32LE(0, 16);
  out[20] = 0;
  return out;
}

/** Legacy OP_REPLY carrying one document (answers OP_QUERY). */
export function buildOpReply(responseTo: number, doc: ReplyDoc): Buffer {
  const out = encodeReply(doc, 36);
  writeHeader(out, responseTo, OP_REPLY);
  out.writeInt32LE(0, 16); // responseFlags
  out.writeBigInt64LE(0n, 20); // cursorID
  out.writeInt32LE(0, 28); // startingFrom
  out.writeInt32LE(1, 32); // numberReturned
  return out;
}

/** Minimal OP_MSG encoder for tests/tools that talk raw wire protocol. */
export function buildOpMsgRequest(requestId: number, doc: Record<string, unknown>, flags = 0): Buffer {
  const body = BSON.serialize(doc) as Buffer;
  const out = Buffer.allocUnsafe(21 + body.length);
  out.writeInt32LE(out.length, 0);
  out.writeInt32LE(requestId, 4);
  out.writeInt32LE(0, 8);
  out.writeInt32LE(OP_MSG, 12);
  out.writeUInt32LE(flags, 16);
  out[20] = 0;
  body.copy(out, 21);
  return out;
}

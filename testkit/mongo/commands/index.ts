/**
 * Command dispatch: body decoding, `$db`, lsid, authentication gate, error shaping.
 */
import { BSON, Binary } from 'bson';
import type { CommandContext, CommandTable, ConnectionState, ServerState } from '../context.js';
import { CommandError } from '../errors.js';
import { BsonFormatError, type ReplyDoc } from '../rawbson.js';
import { DECODE_OPTIONS, Double, isPlainObject, type Doc } from '../values.js';
import type { Request } from '../wire.js';
import { authCommands } from './auth.js';
import { collectionCommands } from './collections.js';
import { crudCommands, WRITE_COMMANDS } from './crud.js';
import { handshakeCommands } from './handshake.js';
import { indexCommands } from './indexes.js';
import { queryCommands } from './query.js';

const COMMANDS: CommandTable = {
  ...handshakeCommands,
  ...authCommands,
  ...collectionCommands,
  ...indexCommands,
  ...crudCommands,
  ...queryCommands,
};

/** Commands mongod accepts before authentication. */
const NO_AUTH_REQUIRED = new Set([
  'hello',
  'isMaster',
  'ismaster',
  'ping',
  'buildInfo',
  'buildinfo',
  'saslStart',
  'saslContinue',
  'endSessions',
  'logout',
  'whatsmyuri',
]);

export const HANDSHAKE_COMMANDS = new Set(['hello', 'isMaster', 'ismaster']);

export { WRITE_COMMANDS };

/** Name of the first field of a BSON document, read without decoding. */
export function firstFieldName(body: Buffer): string {
  if (body.length < 6 || body[4] === 0) return '';
  const end = body.indexOf(0, 5);
  return body.toString('utf8', 5, end);
}

function decodeBody(name: string, body: Buffer): Doc {
  const options = name === 'insert' ? { ...DECODE_OPTIONS, fieldsAsRaw: { documents: true } } : DECODE_OPTIONS;
  return BSON.deserialize(body, options) as Doc;
}

function lsidOf(body: Doc): string | undefined {
  const lsid = body.lsid;
  if (isPlainObject(lsid) && lsid.id instanceof Binary)
    return Buffer.from(lsid.id.buffer.subarray(0, lsid.id.position)).toString('hex');
  return undefined;
}

export async function runCommand(server: ServerState, conn: ConnectionState, req: Request): Promise<ReplyDoc> {
  let name = firstFieldName(req.body);
  try {
    let body = decodeBody(name, req.body);
    let db: string;
    if (req.legacy) {
      // OP_QUERY: "db.$cmd" namespace, the command may be wrapped in $query / query
      const ns = req.legacyNamespace ?? '';
      db = ns.slice(0, ns.indexOf('.') < 0 ? ns.length : ns.indexOf('.'));
      if ((name === '$query' || name === 'query') && isPlainObject(body[name])) {
        body = body[name] as Doc;
        name = Object.keys(body)[0] ?? '';
      }
      // mongod 6+ only answers the handshake over OP_QUERY
      if (!ns.endsWith('.$cmd') || !HANDSHAKE_COMMANDS.has(name)) {
        throw new CommandError(
          352,
          `Unsupported OP_QUERY command: ${ns.endsWith('.$cmd') ? name : 'find'}. The client driver may require an upgrade. For more details see https://dochub.mongodb.org/core/legacy-opcode-removal`,
        );
      }
    } else {
      const $db = body.$db;
      if (typeof $db !== 'string') throw new CommandError(40571, 'OP_MSG requests require a $db argument');
      db = $db;
    }
    server.stats.commands++;
    const handler = Object.prototype.hasOwnProperty.call(COMMANDS, name) ? COMMANDS[name] : undefined;
    if (server.users.enabled && !conn.user && !NO_AUTH_REQUIRED.has(name)) {
      throw new CommandError(13, `command ${name} requires authentication`);
    }
    if (!handler) throw new CommandError(59, `no such command: '${name}'`);
    if (body.txnNumber !== undefined || body.startTransaction !== undefined) {
      throw new CommandError(20, 'Transaction numbers are only allowed on a replica set member or mongos');
    }
    const ctx: CommandContext = {
      server,
      conn,
      db,
      name,
      body,
      rawBody: req.body,
      sequences: req.sequences,
      lsid: lsidOf(body),
    };
    return await handler(ctx);
  } catch (e) {
    if (e instanceof CommandError) return e.toReply();
    if (e instanceof BsonFormatError) return new CommandError(22, `invalid BSON in command: ${e.message}`).toReply();
    const err = e as Error;
    server.log(`internal error in command ${name}: ${err.stack ?? String(err)}`);
    return {
      ok: new Double(0),
      errmsg: `internal error in Cutover test server: ${err.message}`,
      code: 1,
      codeName: 'InternalError',
    };
  }
}

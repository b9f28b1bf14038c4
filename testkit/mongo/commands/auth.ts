/**
 * saslStart / saslContinue (SCRAM-SHA-1, SCRAM-SHA-256) and logout.
 */
import { Binary } from 'bson';
import type { CommandContext, CommandTable } from '../context.js';
import { CommandError } from '../errors.js';
import type { ReplyDoc } from '../rawbson.js';
import { ScramConversation, ScramError, type ScramMechanism } from '../scram.js';
import { Double, Int32, isPlainObject, toInt, type Doc, type Value } from '../values.js';

const authFailed = (): CommandError => new CommandError(18, 'Authentication failed.');

function payloadBytes(v: Value): Buffer {
  if (v instanceof Binary) return Buffer.from(v.buffer.subarray(0, v.position));
  if (typeof v === 'string') return Buffer.from(v, 'utf8');
  throw new CommandError(14, 'payload must be binary data');
}

/** Runs a saslStart (also used for speculativeAuthenticate inside hello). */
export function saslStartReply(ctx: CommandContext, body: Doc, authDb: string): ReplyDoc {
  const mechanism = body.mechanism;
  if (mechanism !== 'SCRAM-SHA-1' && mechanism !== 'SCRAM-SHA-256') {
    throw new CommandError(2, `Received authentication for mechanism ${String(mechanism)} which is not enabled`);
  }
  if (!ctx.server.users.hasUsers) throw authFailed();
  const conv = new ScramConversation(mechanism as ScramMechanism, authDb, ctx.server.users);
  conv.skipEmptyExchange = isPlainObject(body.options) && body.options.skipEmptyExchange === true;
  let serverFirst: string;
  try {
    serverFirst = conv.start(payloadBytes(body.payload));
  } catch (e) {
    if (e instanceof ScramError) {
      ctx.server.log(`authentication failed for ${conv.user || '?'}@${authDb}: ${e.message}`);
      throw authFailed();
    }
    throw e;
  }
  const id = ctx.conn.nextConversationId++;
  ctx.conn.conversations.set(id, conv);
  return {
    conversationId: new Int32(id),
    done: false,
    payload: new Binary(Buffer.from(serverFirst, 'utf8')),
    ok: new Double(1),
  };
}

export const authCommands: CommandTable = {
  saslStart: (ctx) => saslStartReply(ctx, ctx.body, ctx.db),
  saslContinue: (ctx) => {
    const id = toInt(ctx.body.conversationId, -1);
    const conv = ctx.conn.conversations.get(id);
    if (!conv) throw new CommandError(17, 'No SASL session state found');
    const payload = payloadBytes(ctx.body.payload ?? new Binary(Buffer.alloc(0)));
    if (conv.isDone) {
      // final empty round of the conversation
      ctx.conn.conversations.delete(id);
      return { conversationId: new Int32(id), done: true, payload: new Binary(Buffer.alloc(0)), ok: new Double(1) };
    }
    let serverFinal: string;
    try {
      serverFinal = conv.finish(payload);
    } catch (e) {
      ctx.conn.conversations.delete(id);
      if (e instanceof ScramError) {
        ctx.server.log(`authentication failed for ${conv.user}@${conv.db}: ${e.message}`);
        throw authFailed();
      }
      throw e;
    }
    ctx.conn.user = { user: conv.user, db: conv.db };
    // with skipEmptyExchange the conversation completes here, otherwise one empty round follows
    const skip = conv.skipEmptyExchange;
    if (skip) ctx.conn.conversations.delete(id);
    return {
      conversationId: new Int32(id),
      done: skip,
      payload: new Binary(Buffer.from(serverFinal, 'utf8')),
      ok: new Double(1),
    };
  },
  logout: (ctx) => {
    ctx.conn.user = null;
    return { ok: new Double(1) };
  },
};

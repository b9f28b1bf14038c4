/**
 * One client connection: message framing, in-order processing, fault hooks and replies.
 * Malformed input closes only this connection.
 */
import type { Socket } from 'node:net';
import { firstFieldName, HANDSHAKE_COMMANDS, runCommand } from './commands/index.js';
import type { ConnectionState, ServerState } from './context.js';
import { BsonFormatError } from './rawbson.js';
import {
  buildOpMsgReply,
  buildOpReply,
  MAX_MESSAGE_SIZE,
  OP_MSG,
  OP_QUERY,
  parseOpMsg,
  parseOpQuery,
  ProtocolError,
  readHeader,
  type Request,
} from './wire.js';

let nextConnectionId = 1;

export class Connection {
  readonly state: ConnectionState;
  private chunks: Buffer[] = [];
  private buffered = 0;
  private expected = 0;
  private readonly queue: Buffer[] = [];
  private busy = false;
  closed = false;

  constructor(
    readonly socket: Socket,
    private readonly server: ServerState,
    /** drops every connection (closeAfterCommands fault) */
    private readonly dropAll: (reason: string) => void,
    private readonly onClose: (c: Connection) => void,
  ) {
    this.state = {
      id: nextConnectionId++,
      remote: `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? 0}`,
      user: null,
      conversations: new Map(),
      nextConversationId: 1,
    };
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (err) => this.server.log(`connection ${this.state.id}: socket error: ${err.message}`));
    socket.on('close', () => {
      this.closed = true;
      this.queue.length = 0;
      this.chunks = [];
      this.onClose(this);
    });
  }

  /** Closes the connection, logging why. */
  close(reason: string): void {
    if (this.closed) return;
    this.server.log(`connection ${this.state.id} (${this.state.remote}) closed: ${reason}`);
    this.closed = true;
    this.queue.length = 0;
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    if (this.closed) return;
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    while (!this.closed) {
      if (this.expected === 0) {
        if (this.buffered < 4) break;
        const len = this.peekInt32();
        if (len < 16 || len > MAX_MESSAGE_SIZE) {
          this.close(`recv(): message msgLen ${len} is invalid. Min 16 Max: ${MAX_MESSAGE_SIZE}`);
          return;
        }
        this.expected = len;
      }
      if (this.buffered < this.expected) break;
      const msg = this.take(this.expected);
      this.expected = 0;
      this.queue.push(msg);
    }
    void this.pump();
  }

  private peekInt32(): number {
    const first = this.chunks[0];
    if (first.length >= 4) return first.readInt32LE(0);
    const head = Buffer.concat(this.chunks, Math.min(this.buffered, 4));
    return head.readInt32LE(0);
  }

  private take(n: number): Buffer {
    const first = this.chunks[0];
    let out: Buffer;
    if (first.length >= n) {
      out = first.subarray(0, n);
      if (first.length === n) this.chunks.shift();
      else this.chunks[0] = first.subarray(n);
    } else {
      out = Buffer.allocUnsafe(n);
      let pos = 0;
      while (pos < n) {
        const c = this.chunks[0];
        const need = n - pos;
        if (c.length <= need) {
          c.copy(out, pos);
          pos += c.length;
          this.chunks.shift();
        } else {
          c.copy(out, pos, 0, need);
          this.chunks[0] = c.subarray(need);
          pos += need;
        }
      }
    }
    this.buffered -= n;
    return out;
  }

  private async pump(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      while (!this.closed && this.queue.length > 0) {
        const msg = this.queue.shift()!;
        await this.handle(msg);
      }
    } catch (e) {
      this.close(`internal error: ${(e as Error).stack ?? String(e)}`);
    } finally {
      this.busy = false;
    }
  }

  private parse(msg: Buffer): Request | null {
    const header = readHeader(msg);
    try {
      if (header.opCode === OP_MSG) return parseOpMsg(msg, header);
      if (header.opCode === OP_QUERY) return parseOpQuery(msg, header);
      this.close(`unsupported opCode ${header.opCode}`);
      return null;
    } catch (e) {
      if (e instanceof ProtocolError || e instanceof BsonFormatError || e instanceof RangeError) {
        this.close(`malformed message: ${(e as Error).message}`);
        return null;
      }
      throw e;
    }
  }

  private async handle(msg: Buffer): Promise<void> {
    const req = this.parse(msg);
    if (!req) return;
    const faults = this.server.faults;
    const name = firstFieldName(req.body);
    if (!HANDSHAKE_COMMANDS.has(name) && faults.shouldDropBeforeCommand()) {
      this.dropAll(`fault injection: closeAfterCommands reached at command '${name}'`);
      return;
    }
    const latency = faults.config.latencyMs;
    if (latency > 0) await new Promise((r) => setTimeout(r, latency).unref());
    if (this.closed) return;
    const reply = await runCommand(this.server, this.state, req);
    if (this.closed || req.moreToCome) return;
    const out = req.legacy ? buildOpReply(req.header.requestId, reply) : buildOpMsgReply(req.header.requestId, reply);
    if (out.length > MAX_MESSAGE_SIZE) {
      this.close(`reply of ${out.length} bytes exceeds the maximum message size`);
      return;
    }
    this.socket.write(out);
  }
}

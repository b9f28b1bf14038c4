/**
 * Shared server/connection state and the command handler signature.
 */
import type { CursorManager } from './cursors.js';
import type { Faults } from './faults.js';
import type { ReplyDoc } from './rawbson.js';
import type { ScramConversation, UserStore } from './scram.js';
import type { Storage } from './storage.js';
import type { Doc } from './values.js';

export interface ServerState {
  storage: Storage;
  cursors: CursorManager;
  users: UserStore;
  faults: Faults;
  /** The largest document this server stores (16 MB, as mongod; less to play a Cosmos DB-like target). */
  maxDocumentBytes: number;
  host: string;
  port: number;
  startTime: number;
  log(msg: string): void;
  stats: {
    connectionsCurrent: number;
    connectionsTotal: number;
    commands: number;
    inserts: number;
    queries: number;
    updates: number;
    deletes: number;
    getmores: number;
  };
}

export interface ConnectionState {
  id: number;
  remote: string;
  user: { user: string; db: string } | null;
  conversations: Map<number, ScramConversation>;
  nextConversationId: number;
}

export interface CommandContext {
  server: ServerState;
  conn: ConnectionState;
  /** database from `$db` (or the OP_QUERY namespace) */
  db: string;
  /** command name as sent (first key of the body) */
  name: string;
  body: Doc;
  rawBody: Buffer;
  /** kind-1 document sequences by identifier */
  sequences: Map<string, Buffer[]>;
  /** hex id of the logical session (lsid.id), when present */
  lsid?: string;
}

export type CommandHandler = (ctx: CommandContext) => ReplyDoc | Promise<ReplyDoc>;
export type CommandTable = Record<string, CommandHandler>;

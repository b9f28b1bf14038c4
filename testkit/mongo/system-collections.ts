/**
 * The admin database's system collections, as mongod keeps them: `admin.system.version` (the
 * featureCompatibilityVersion document, and `authSchema` {currentVersion: 5} once users exist; mongod
 * writes it with the first user) and `admin.system.users` (each user with its SCRAM credentials and
 * roles). Written when the server starts, from its configured users, so tools that read them
 * (`mongodump --dumpDbUsersAndRoles`, `getParameter authSchemaVersion`) find what mongod has.
 */
import { UUID } from 'bson';
import type { CommandContext, ServerState } from './context.js';
import { CommandError } from './errors.js';
import { prepareForInsert, type ReplyDoc } from './rawbson.js';
import type { ScramMechanism } from './scram.js';
import { decode, Double, encode, Int32, isPlainObject, toDouble, type Doc } from './values.js';

/** SCRAM users: mongod's authorization schema version 5 ("SCRAM"). */
export const AUTH_SCHEMA_VERSION = 5;
export const FEATURE_COMPATIBILITY_VERSION = '7.0';

export function installSystemCollections(state: ServerState): void {
  state.storage.dropCollection('admin', 'system.version');
  state.storage.dropCollection('admin', 'system.users');
  const users = state.users.list();
  const version: Doc[] = [{ _id: 'featureCompatibilityVersion', version: FEATURE_COMPATIBILITY_VERSION }];
  if (users.length) version.push({ _id: 'authSchema', currentVersion: new Int32(AUTH_SCHEMA_VERSION) });
  fill(state, 'system.version', version);
  if (!users.length) return;
  fill(
    state,
    'system.users',
    users.map((u) => {
      const credentials: Doc = {};
      for (const mech of u.mechanisms as ScramMechanism[]) {
        const found = state.users.lookup(u.db, u.user, mech);
        if (!found) continue;
        const { creds } = found;
        credentials[mech] = {
          iterationCount: new Int32(creds.iterations),
          salt: creds.salt.toString('base64'),
          storedKey: creds.storedKey.toString('base64'),
          serverKey: creds.serverKey.toString('base64'),
        };
      }
      return {
        _id: `${u.db}.${u.user}`,
        userId: new UUID(),
        user: u.user,
        db: u.db,
        credentials,
        roles: [{ role: 'root', db: 'admin' }],
      };
    }),
  );
}

function fill(state: ServerState, name: string, docs: Doc[]): void {
  const { coll } = state.storage.ensureCollection('admin', name);
  for (const doc of docs) {
    const p = prepareForInsert(encode(doc));
    coll.insert(p.idKey, p.bytes, null);
  }
}

/**
 * `_mergeAuthzCollections`, the internal command mongorestore restores users with: the users it wrote
 * to a temporary collection (`tempUsersCollection`, "admin.<name>") join the server's users (with
 * `drop`, they replace those of `db`, or every user when `db` is ""). Roles: only built-in roles exist
 * here, so user-defined roles in `tempRolesCollection` are refused by name.
 */
export function mergeAuthzCollections(ctx: CommandContext): ReplyDoc {
  if (ctx.db !== 'admin')
    throw new CommandError(13, '_mergeAuthzCollections may only be run against the admin database.');
  const db = typeof ctx.body.db === 'string' ? ctx.body.db : '';
  const tempDocs = (field: string): Doc[] => {
    const ns = ctx.body[field];
    if (ns === undefined || ns === '') return [];
    if (typeof ns !== 'string' || !ns.startsWith('admin.'))
      throw new CommandError(2, `${field} must be a namespace in the admin database, not ${String(ns)}`);
    const coll = ctx.server.storage.getCollection('admin', ns.slice('admin.'.length));
    return coll ? [...coll.docs.values()].map((bytes) => decode(bytes) as Doc) : [];
  };
  const users = tempDocs('tempUsersCollection');
  const roles = tempDocs('tempRolesCollection').filter((r) => db === '' || r.db === db);
  if (roles.length)
    throw new CommandError(
      2,
      `The Cutover test server has no user-defined roles; cannot restore role ${String(roles[0].role)}@${String(roles[0].db)}`,
    );
  if (ctx.body.drop === true) ctx.server.users.removeUsers(db === '' ? undefined : db);
  for (const u of users) {
    if (db !== '' && u.db !== db) continue;
    if (typeof u.user !== 'string' || typeof u.db !== 'string' || !isPlainObject(u.credentials))
      throw new CommandError(2, `Invalid user document in ${String(ctx.body.tempUsersCollection)}: ${String(u._id)}`);
    const credentials: Record<string, { salt: string; storedKey: string; serverKey: string; iterationCount: number }> =
      {};
    for (const [mech, c] of Object.entries(u.credentials)) {
      if (
        isPlainObject(c) &&
        typeof c.salt === 'string' &&
        typeof c.storedKey === 'string' &&
        typeof c.serverKey === 'string'
      ) {
        credentials[mech] = {
          salt: c.salt,
          storedKey: c.storedKey,
          serverKey: c.serverKey,
          iterationCount: toDouble(c.iterationCount as never),
        };
      }
    }
    ctx.server.users.restore(u.db, u.user, credentials);
  }
  installSystemCollections(ctx.server);
  return { ok: new Double(1) };
}

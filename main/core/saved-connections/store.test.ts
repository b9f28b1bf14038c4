import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ConnectionString } from 'mongodb-connection-string-url';
import { describe, expect, it } from 'vitest';
import { FileKeySecretStore } from '../secret-store';
import { SavedConnectionStore } from './store';
import { connectionIdentity, joinSecrets, redactUri, splitSecrets } from './uri-secrets';

const SPECIAL = 'p@ss:w/rd%';
const UNICODE = 'pässwörd-密码-🔑';
const dirOf = () => mkdtemp(path.join(os.tmpdir(), 'cutover-saved-'));
const storeIn = (dir: string) => SavedConnectionStore.inDataDir(dir, new FileKeySecretStore(dir));
const passwordOf = (uri: string) =>
  decodeURIComponent(new ConnectionString(uri.replace(/^(postgres|mysql):/, 'mongodb:')).password);

describe('connection string secrets', () => {
  it('splits and joins passwords and secret options, any character round-tripping', () => {
    for (const password of [SPECIAL, UNICODE, 'a b+c&d=e?f#g']) {
      for (const base of [
        'mongodb://ada@h1:27017,h2/db?replicaSet=rs0',
        'postgres://ada@h:5432/db',
        'mysql://ada@h/db',
        'versia://ada@social.example',
      ]) {
        const full = joinSecrets(base, { password });
        const split = splitSecrets(full);
        expect(split.secrets.password).toBe(password);
        expect(split.publicUri).toBe(base);
        expect(split.publicUri).not.toContain(encodeURIComponent(password));
      }
    }
    const tls = splitSecrets(
      'mongodb://u:pw@h/?tls=true&tlsCertificateKeyFile=%2Fk.pem&tlsCertificateKeyFilePassword=s%26cret',
    );
    expect(tls).toMatchObject({
      publicUri: 'mongodb://u@h/?tls=true&tlsCertificateKeyFile=%2Fk.pem',
      secrets: { password: 'pw', options: { tlsCertificateKeyFilePassword: 's&cret' } },
    });
    expect(redactUri('mongodb://u:pw@h/?tlsCertificateKeyFilePassword=x')).toBe(
      'mongodb://u:****@h/?tlsCertificateKeyFilePassword=****',
    );
    expect(redactUri('postgres://u:pw@h/db?sslpassword=x')).toBe('postgres://u:****@h/db?sslpassword=****');
  });

  it('calls connections duplicates when kind, hosts, ports, user and database match', () => {
    expect(connectionIdentity('mongodb://ada:x@DB.example:27017/shop?tls=true')).toBe(
      connectionIdentity('mongodb://ada@db.example/shop'),
    );
    expect(connectionIdentity('mongodb://ada@db.example/shop')).not.toBe(
      connectionIdentity('mongodb://bob@db.example/shop'),
    );
    expect(connectionIdentity('mongodb://ada@db.example/shop')).not.toBe(
      connectionIdentity('mongodb://ada@db.example:27018/shop'),
    );
    expect(connectionIdentity('postgres://u@h/a')).not.toBe(connectionIdentity('postgres://u@h/b'));
    expect(connectionIdentity('postgres://u@h/a')).toBe(connectionIdentity('postgresql://u:pw@h:5432/a'));
  });
});

describe('saved connections', () => {
  it('keeps passwords sealed on disk and gives them back exactly after a restart', async () => {
    const dir = await dirOf();
    const store = storeIn(dir);
    const a = await store.add({
      uri: joinSecrets('mongodb://ada@db.example:27017/shop', { password: SPECIAL }),
      name: 'Shop',
      favourite: true,
    });
    const b = await store.add({
      uri: joinSecrets('postgres://bob@pg.example/reports', {
        password: UNICODE,
        options: { sslpassword: 'key-pass' },
      }),
    });
    const c = await store.add({ uri: 'versia://alice:token-XYZ@social.example' });
    expect(a).toMatchObject({
      name: 'Shop',
      kind: 'mongodb',
      host: 'db.example:27017',
      favourite: true,
      hasCredentials: true,
      redactedUri: 'mongodb://ada:****@db.example:27017/shop',
    });
    expect(b).toMatchObject({
      name: 'pg.example',
      redactedUri: 'postgres://bob:****@pg.example/reports?sslpassword=****',
    });
    expect(c.redactedUri).toBe('@alice@social.example');

    const raw = await readFile(path.join(dir, 'connections.json'), 'utf8');
    for (const secret of [
      SPECIAL,
      encodeURIComponent(SPECIAL),
      UNICODE,
      encodeURIComponent(UNICODE),
      'key-pass',
      'token-XYZ',
    ])
      expect(raw).not.toContain(secret);
    expect(JSON.parse(raw).connections).toHaveLength(3);

    const again = storeIn(dir);
    expect((await again.list()).map((s) => s.name)).toEqual(['Shop', 'pg.example', 'social.example']);
    expect(passwordOf(await again.uriOf(a.id))).toBe(SPECIAL);
    const pgUri = await again.uriOf(b.id);
    expect(passwordOf(pgUri)).toBe(UNICODE);
    expect(new URL(pgUri).searchParams.get('sslpassword')).toBe('key-pass');
    expect(await again.uriOf(c.id)).toBe('versia://alice:token-XYZ@social.example');
  });

  it('edits, duplicates, records last use and deletes; **** keeps the stored password', async () => {
    const dir = await dirOf();
    const store = storeIn(dir);
    const a = await store.add({ uri: joinSecrets('mongodb://ada@h:1/db', { password: SPECIAL }), name: 'A' });
    const renamed = await store.update(a.id, { name: 'Alpha', favourite: true, uri: 'mongodb://ada:****@h:1/other' });
    expect(renamed).toMatchObject({
      name: 'Alpha',
      favourite: true,
      host: 'h:1',
      redactedUri: 'mongodb://ada:****@h:1/other',
    });
    expect(passwordOf(await store.uriOf(a.id))).toBe(SPECIAL);
    await store.update(a.id, { uri: joinSecrets('mongodb://ada@h:2/db', { password: UNICODE }) });
    expect(passwordOf(await store.uriOf(a.id))).toBe(UNICODE);
    // A stored password is never handed to another user: **** with a new user name is refused, nothing changes.
    await expect(store.update(a.id, { uri: 'mongodb://grace:****@h:2/db' })).rejects.toThrow(
      /user name changed from "ada" to "grace": type the password of "grace"/,
    );
    expect(await store.uriOf(a.id)).toBe(joinSecrets('mongodb://ada@h:2/db', { password: UNICODE }));
    const copy = await store.duplicate(a.id);
    expect(copy).toMatchObject({ name: 'Alpha (copy)', favourite: false });
    const second = await store.duplicate(a.id);
    expect(second.name).toBe('Alpha (copy 2)');
    await store.remove(second.id);
    expect(passwordOf(await store.uriOf(copy.id))).toBe(UNICODE);
    await store.touch(a.id, 1_700_000_000_000);
    expect((await store.get(a.id)).lastUsed).toBe(1_700_000_000_000);
    expect((await store.duplicatesOf('mongodb://ada@h:2/db')).map((d) => d.id).sort()).toEqual([a.id, copy.id].sort());
    await store.remove(copy.id);
    expect((await storeIn(dir).list()).map((s) => s.id)).toEqual([a.id]);
    await expect(store.get(copy.id)).rejects.toThrow(/No saved connection/);
  });

  it('changes made at the same time all land (none is undone by another)', async () => {
    const dir = await dirOf();
    const store = storeIn(dir);
    const a = await store.add({ uri: joinSecrets('mongodb://ada@h:1/db', { password: SPECIAL }), name: 'A' });
    await Promise.all([
      store.update(a.id, { name: 'Alpha' }),
      store.update(a.id, { favourite: true }),
      store.touch(a.id, 1_700_000_000_000),
    ]);
    for (const s of [store, storeIn(dir)])
      expect(await s.get(a.id)).toMatchObject({ name: 'Alpha', favourite: true, lastUsed: 1_700_000_000_000 });
    const [copy] = await Promise.all([
      store.duplicate(a.id),
      store.update(a.id, { uri: 'mongodb://ada:****@h:1/other' }),
    ]);
    expect(copy.redactedUri).toBe('mongodb://ada:****@h:1/db');
    expect(passwordOf(await store.uriOf(a.id))).toBe(SPECIAL);
    await store.remove(a.id);
    await expect(store.touch(a.id)).rejects.toThrow(/No saved connection/);
    expect((await storeIn(dir).list()).map((s) => s.id)).toEqual([copy.id]);
  });

  it('never overwrites a file it cannot read, and names it', async () => {
    const dir = await dirOf();
    const file = path.join(dir, 'connections.json');
    await writeFile(file, '{"version":1,"connections":[{"id":');
    const store = storeIn(dir);
    await expect(store.list()).rejects.toThrow(`${file} is corrupt`);
    await expect(store.add({ uri: 'mongodb://h/' })).rejects.toThrow(/Cutover has not changed it/);
    expect(await readFile(file, 'utf8')).toBe('{"version":1,"connections":[{"id":');
    await writeFile(file, JSON.stringify({ version: 1, connections: [{ id: 'x', name: 'n' }] }));
    await expect(storeIn(dir).list()).rejects.toThrow(/is not valid \(connections\.0\.kind/);
  });

  it('leaves both file and memory unchanged when a write fails', async () => {
    const dir = await dirOf();
    const store = storeIn(dir);
    await store.add({ uri: 'mongodb://kept/' });
    const before = await readFile(path.join(dir, 'connections.json'), 'utf8');
    // Something in the way of the final rename: the write cannot complete.
    const other = await dirOf();
    const blocked = SavedConnectionStore.inDataDir(other, new FileKeySecretStore(other));
    await blocked.list();
    await mkdir(path.join(other, 'connections.json', 'in-the-way'), { recursive: true });
    await expect(blocked.addMany([{ uri: 'mongodb://a/' }, { uri: 'mongodb://b/' }])).rejects.toThrow();
    expect(await blocked.list()).toEqual([]);
    expect(await readFile(path.join(dir, 'connections.json'), 'utf8')).toBe(before);
  });
});

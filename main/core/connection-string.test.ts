import { describe, expect, it } from 'vitest';
import { ConnectionStringError, parseConnectionString, redactSecretsInText } from './connection-string';

describe('connection strings', () => {
  it('recognises MongoDB strings, redacts the password and keeps special characters', () => {
    const uri = 'mongodb://admin:p%40ss%3Aw%2Frd%25@db1.example:27017,db2.example:27018/sales?replicaSet=rs0&tls=true';
    const parsed = parseConnectionString(uri);
    expect(parsed.kind).toBe('mongodb');
    expect(parsed.uri).toBe(uri);
    expect(parsed.redactedUri).not.toContain('p%40ss');
    expect(parsed.redactedUri).toContain('****');
    expect(parsed.host).toBe('db1.example:27017,db2.example:27018');
    expect(parsed.defaultDatabase).toBe('sales');
    expect(parsed.hasCredentials).toBe(true);
    expect(parseConnectionString('mongodb+srv://cluster0.example.net/').kind).toBe('mongodb');
  });

  it('recognises PostgreSQL, MySQL and Versia handles', () => {
    expect(parseConnectionString('postgres://u:secret@127.0.0.1:5432/test')).toMatchObject({
      kind: 'postgres',
      host: '127.0.0.1:5432',
      redactedUri: 'postgres://u:****@127.0.0.1:5432/test',
    });
    expect(parseConnectionString('mysql://root@127.0.0.1:3306/test')).toMatchObject({
      kind: 'mysql',
      hasCredentials: true,
    });
    expect(parseConnectionString('@alice@old.example')).toMatchObject({
      kind: 'versia',
      host: 'old.example',
      uri: 'versia://alice@old.example',
    });
    expect(parseConnectionString('versia://alice:tok3n@old.example')).toMatchObject({
      kind: 'versia',
      host: 'old.example',
      redactedUri: '@alice@old.example',
      hasCredentials: true,
    });
    expect(parseConnectionString('versia+http://bob:t@127.0.0.1:8080')).toMatchObject({
      kind: 'versia',
      host: '127.0.0.1:8080',
    });
    expect(redactSecretsInText('versia://alice:tok3n@old.example')).toBe('versia://alice:****@old.example');
  });

  it('says what is wrong with bad strings', () => {
    expect(() => parseConnectionString('')).toThrow(/empty/);
    expect(() => parseConnectionString('http://example.com')).toThrow(/"http:" is not a connection type/);
    expect(() => parseConnectionString('hello')).toThrow(ConnectionStringError);
    expect(() => parseConnectionString('mongodb://')).toThrow(/Invalid MongoDB connection string/);
    expect(() => parseConnectionString('mongodb://host:99999999/')).toThrow(/Invalid MongoDB connection string/);
  });

  it('redacts credentials inside free text', () => {
    expect(redactSecretsInText('failed to reach mongodb://bob:hunter2@h:1/ now')).toBe(
      'failed to reach mongodb://bob:****@h:1/ now',
    );
  });
});

describe('a malformed port', () => {
  it("gets a sentence naming the host and the port, not the URL parser's message", () => {
    expect(() => parseConnectionString('mongodb://127.0.0.1:abc')).toThrow(
      /the port of 127\.0\.0\.1:abc is "abc", not a number/,
    );
    expect(() => parseConnectionString('mongodb://u:p@a:27017,b:x2/db')).toThrow(/the port of b:x2 is "x2"/);
    expect(() => parseConnectionString('mongodb://127.0.0.1:abc')).not.toThrow(/Unable to parse/);
    expect(parseConnectionString('mongodb://u:p%3Ax@[::1]:27017/db').host).toContain('27017');
  });
});

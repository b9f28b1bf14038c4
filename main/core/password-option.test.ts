/**
 * A password given as a query option (`?password=`, as libpq and mysql2 accept it) is a secret like
 * the one in the user-info part: it never reaches the window, through the core's real dispatcher
 * (answers, the connection list and events), nor free text such as error messages.
 */
import { describe, expect, it } from 'vitest';
import { createCore } from './app-core';
import { parseConnectionString, redactSecretsInText } from './connection-string';

describe('password= options are redacted everywhere', () => {
  it('in what connections.open answers, connections.list and the events', async () => {
    const core = createCore({ providers: [], shell: 'browser', version: 'test' });
    const seen: unknown[] = [];
    core.onEvent((name, payload) => seen.push([name, payload]));
    const answers = [
      await core.dispatch('connections.open', { uri: 'postgres://u@127.0.0.1/db?password=hunter2-pg&sslmode=disable' }),
      await core.dispatch('connections.open', { uri: 'mysql://root@127.0.0.1:3306/test?password=hunter2-my' }),
      await core.dispatch('connections.open', { uri: 'postgresql://u@127.0.0.1/db?sslpassword=hunter2-key' }),
      await core.dispatch('connections.list', {}),
    ];
    expect(answers[0]).toMatchObject({
      ok: true,
      value: { redactedUri: 'postgres://u@127.0.0.1/db?password=****&sslmode=disable' },
    });
    expect(answers[1]).toMatchObject({
      ok: true,
      value: { redactedUri: 'mysql://root@127.0.0.1:3306/test?password=****' },
    });
    const everything = JSON.stringify([answers, seen]);
    expect(everything).not.toMatch(/hunter2/);
    await core.shutdown();
  });

  it('in parsed MongoDB strings and in free text', () => {
    expect(parseConnectionString('mongodb://u@h/?password=hunter2&tls=true').redactedUri).not.toContain('hunter2');
    expect(redactSecretsInText('cannot reach postgres://u@h/db?sslmode=require&password=hunter2 (refused)')).toBe(
      'cannot reach postgres://u@h/db?sslmode=require&password=**** (refused)',
    );
    expect(redactSecretsInText('mysql://root@h/test?password=abc&ssl=1')).toBe(
      'mysql://root@h/test?password=****&ssl=1',
    );
  });
});

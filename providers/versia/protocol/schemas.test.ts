/** The entity schemas: what a spec User, its migration extension and a URI collection page may and must carry. */
import { describe, expect, it } from 'vitest';
import { URICollectionSchema, UserSchema } from './index';

describe('schemas', () => {
  const user = {
    type: 'User',
    id: 'u-1',
    created_at: '2024-04-09T01:38:51.743Z',
    username: 'Alice_B-1',
    fields: [
      {
        key: { 'text/html': { content: '<p>Pronouns</p>', remote: false } },
        value: { 'text/plain': { content: 'she/her', remote: false } },
      },
    ],
    manually_approves_followers: false,
    indexable: true,
  };
  const issues = (value: unknown) =>
    UserSchema.safeParse(value).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`) ?? [];

  it('accepts a spec User: capitals in usernames, omitted or null optional fields', () => {
    expect(issues(user)).toEqual([]);
    expect(issues({ ...user, avatar: null, bio: null, header: null, display_name: null, extensions: null })).toEqual(
      [],
    );
  });

  it('refuses a User without fields, manually_approves_followers or indexable, or with a bad username', () => {
    for (const field of ['fields', 'manually_approves_followers', 'indexable'] as const) {
      const { [field]: _omitted, ...rest } = user;
      expect(issues(rest).join()).toMatch(new RegExp(`^${field}:`));
    }
    expect(issues({ ...user, username: 'a.b' }).join()).toMatch(/^username:/);
    expect(issues({ ...user, username: '' }).join()).toMatch(/^username:/);
    expect(issues({ ...user, fields: [{ key: 'Pronouns', value: 'she/her' }] }).join()).toMatch(/^fields\.0\.key:/);
  });

  it('the migration extension requires previous; an account that only moved away may carry new alone', () => {
    const withMigration = (m: unknown) => ({ ...user, extensions: { 'pub.versia:migration': m } });
    expect(issues(withMigration({ previous: 'old.test:a' }))).toEqual([]);
    expect(issues(withMigration({ previous: 'old.test:a', new: null }))).toEqual([]);
    expect(issues(withMigration({ new: 'new.test:b' }))).toEqual([]);
    expect(issues(withMigration({})).join()).toMatch(/previous is required/);
    expect(issues(withMigration({ previous: null, new: null })).join()).toMatch(/previous is required/);
  });

  it('a URI collection page may omit its author', () => {
    expect(URICollectionSchema.safeParse({ total: 1, items: ['a.test:x'] }).success).toBe(true);
    expect(URICollectionSchema.safeParse({ author: null, total: 1, items: ['a.test:x'] }).success).toBe(true);
  });
});

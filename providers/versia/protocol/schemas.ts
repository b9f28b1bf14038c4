/**
 * Zod schemas of the Versia v0.6 entities the account-migration flow touches. Every payload that comes
 * from the network goes through one of these; unknown fields are kept (other extensions), wrong ones fail
 * with the path of the field.
 */
import { z } from 'zod';

export const VERSIA_VERSION = '0.6.0';
export const MIGRATION_EXTENSION = 'pub.versia:migration';
export const MIGRATION_TYPE = 'pub.versia:migration/Migration';
export const VERSIA_CONTENT_TYPE = 'application/vnd.versia+json; charset=utf-8';

const ReferenceString = z.string().min(1).max(600);
/** RFC 3339, as the spec's `created_at` requires. */
const Timestamp = z.iso.datetime({ offset: true });

/** `GET /.well-known/versia` */
export const WellKnownVersiaSchema = z.looseObject({ versions: z.array(z.string()).min(1) });

export const InstanceMetadataSchema = z.looseObject({
  type: z.literal('InstanceMetadata'),
  name: z.string(),
  software: z.looseObject({ name: z.string().min(1), version: z.string() }),
  compatibility: z.looseObject({ versions: z.array(z.string()), extensions: z.array(z.string()) }),
  domain: z.string().min(1),
  public_key: z.looseObject({ algorithm: z.literal('ed25519'), key: z.string().min(1) }),
  created_at: Timestamp.optional(),
  description: z.string().nullish(),
});
export type InstanceMetadata = z.infer<typeof InstanceMetadataSchema>;

/**
 * The User extension of `pub.versia:migration`. The spec marks `previous` required ("If this user has
 * migrated from another instance, this property MUST be a Reference to the user on the previous
 * instance") and `new` optional ("If this user has migrated to another instance…"). Read literally, an
 * account that moved away without ever having moved in could not say `new`; so an object without
 * `previous` is accepted only when it carries `new`. Anything else missing `previous` is refused.
 */
export const MigrationUserExtensionSchema = z
  .looseObject({
    previous: ReferenceString.nullish(),
    new: ReferenceString.nullish(),
  })
  .refine((m) => !!m.previous || !!m.new, {
    message: 'previous is required (a reference to the account this one moved from)',
    path: ['previous'],
  });

/**
 * ContentFormat: `{ "<type>/<subtype>": { content, remote, … } }`. The spec makes `remote` required; Versia
 * Server sends it, and it is checked as a boolean when present (texts of older servers omit it).
 */
export const ContentFormatSchema = z.record(
  z.string().regex(/^[\w.+-]+\/[\w.+-]+$/, 'a content type (type/subtype)'),
  z.looseObject({ content: z.string(), remote: z.boolean().optional() }),
);

const Id = z
  .string()
  .min(1)
  .max(512)
  .regex(/^[A-Za-z0-9_-]+$/, 'may only hold letters, digits, "_" and "-"');

/**
 * User (v0.6). "Implementations MUST strictly validate all incoming data": required fields are `id`,
 * `type`, `created_at`, `username`, `fields`, `manually_approves_followers`, `indexable`. Usernames "can
 * only contain the following characters: a-z, A-Z (case-insensitive), 0-9, _ and -". Optional fields may
 * be null; the Entities page also says they "must not be omitted", but Versia Server omits an unset
 * avatar or header, so omitted is accepted too.
 */
export const UserSchema = z.looseObject({
  type: z.literal('User'),
  id: Id,
  created_at: Timestamp,
  username: z
    .string()
    .min(1)
    .regex(/^[A-Za-z0-9_-]+$/, 'may only hold a-z, A-Z, 0-9, "_" and "-"'),
  display_name: z.string().nullish(),
  avatar: ContentFormatSchema.nullish(),
  header: ContentFormatSchema.nullish(),
  bio: ContentFormatSchema.nullish(),
  fields: z.array(z.looseObject({ key: ContentFormatSchema, value: ContentFormatSchema })),
  manually_approves_followers: z.boolean(),
  indexable: z.boolean(),
  extensions: z.looseObject({ [MIGRATION_EXTENSION]: MigrationUserExtensionSchema.nullish() }).nullish(),
});
export type User = z.infer<typeof UserSchema>;

/** The transient Migration entity (no id in v0.6). */
export const MigrationSchema = z.looseObject({
  type: z.literal(MIGRATION_TYPE),
  author: ReferenceString,
  destination: ReferenceString,
  created_at: Timestamp,
});
export type Migration = z.infer<typeof MigrationSchema>;

/** A page of a collection whose items are references (followers, following). */
export const URICollectionSchema = z.looseObject({
  /** Optional in the spec ("required={false}"): absent, null or a reference. */
  author: ReferenceString.nullish(),
  total: z.number().int().nonnegative(),
  items: z.array(ReferenceString),
});
export type URICollection = z.infer<typeof URICollectionSchema>;

/** Any entity arriving at an inbox: the type decides the schema. */
export const InboxEntitySchema = z.looseObject({ type: z.string().min(1) });

/** WebFinger JRD. */
export const WebFingerSchema = z.looseObject({
  subject: z.string(),
  links: z
    .array(z.looseObject({ rel: z.string(), type: z.string().optional(), href: z.string().optional() }))
    .default([]),
});

/** "field.path: message; …" for a zod error. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || '(entity)'}: ${i.message}`).join('; ');
}

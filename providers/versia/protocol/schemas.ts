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

export const MigrationUserExtensionSchema = z.looseObject({
  previous: ReferenceString.nullish(),
  new: ReferenceString.nullish(),
});

export const UserSchema = z.looseObject({
  type: z.literal('User'),
  id: z.string().regex(/^[A-Za-z0-9_-]+$/),
  created_at: Timestamp,
  username: z.string().regex(/^[a-z0-9_-]+$/),
  display_name: z.string().nullish(),
  manually_approves_followers: z.boolean().optional(),
  indexable: z.boolean().optional(),
  extensions: z
    .looseObject({ [MIGRATION_EXTENSION]: MigrationUserExtensionSchema.optional() })
    .optional(),
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
  author: ReferenceString.nullable(),
  total: z.number().int().nonnegative(),
  items: z.array(ReferenceString),
});
export type URICollection = z.infer<typeof URICollectionSchema>;

/** Any entity arriving at an inbox: the type decides the schema. */
export const InboxEntitySchema = z.looseObject({ type: z.string().min(1) });

/** WebFinger JRD. */
export const WebFingerSchema = z.looseObject({
  subject: z.string(),
  links: z.array(z.looseObject({ rel: z.string(), type: z.string().optional(), href: z.string().optional() })).default([]),
});

/** "field.path: message; …" for a zod error. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || '(entity)'}: ${i.message}`).join('; ');
}

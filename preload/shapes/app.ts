/**
 * The contract's shapes for the app itself (preload/contract.ts re-exports them): the person's settings
 * and where the updater is.
 */
import { z } from 'zod';

/** The person's preferences (Settings screen), kept by the core in the data folder. */
export const SettingsSchema = z.object({
  updates: z.object({
    /** Check at start and every 4 hours. */
    automatic: z.boolean(),
    /** stable: latest-<os>.yml; beta: beta-<os>.yml. */
    channel: z.enum(['stable', 'beta']),
  }),
});
export type Settings = z.infer<typeof SettingsSchema>;

/** Where the updater is: what the update notice and the Settings screen show. */
export const UpdateStateSchema = z.discriminatedUnion('state', [
  z.object({ state: z.literal('idle'), lastCheckedAt: z.number().optional(), upToDate: z.boolean().optional() }),
  z.object({ state: z.literal('checking') }),
  z.object({
    state: z.literal('available'),
    version: z.string(),
    releaseNotes: z.string().optional(),
    releaseDate: z.string().optional(),
    /** in-place: downloaded and installed by Cutover; download: a .deb install, the person downloads it (release page). */
    install: z.enum(['in-place', 'download']),
  }),
  z.object({
    state: z.literal('downloading'),
    version: z.string(),
    releaseNotes: z.string().optional(),
    percent: z.number(),
    transferred: z.number(),
    total: z.number(),
  }),
  z.object({
    state: z.literal('ready'),
    version: z.string(),
    releaseNotes: z.string().optional(),
    restarting: z.boolean().optional(),
  }),
  z.object({ state: z.literal('error'), message: z.string() }),
  z.object({ state: z.literal('disabled'), reason: z.string() }),
]);
export type UpdateState = z.infer<typeof UpdateStateSchema>;

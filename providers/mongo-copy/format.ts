/** Numbers as people read them: shared by the built-in providers (providers/shared/format.ts). */
export * from '../shared/format';

/** The official driver's wire module (not public API: raw-writes.ts checks what it finds there). */
declare module 'mongodb/lib/cmap/commands.js' {
  export const DocumentSequence: unknown;
}

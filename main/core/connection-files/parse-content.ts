/**
 * The readers of the connection formats behind one call, run the same way in the main thread (small
 * files) and in the connection-files worker (large ones): text in, plain data out. Each reader is loaded
 * when first needed, so a worker reading a text file does not load the driver's BSON for Compass files.
 */
import type { ConnectionFileFormat, ParsedConnectionFile } from './types';

export async function parseConnectionText(
  format: ConnectionFileFormat,
  text: string,
  passphrase?: string,
): Promise<ParsedConnectionFile> {
  switch (format) {
    case 'cutover':
      return (await import('./cutover-file')).readCutoverFile(text, passphrase);
    case 'compass':
      return (await import('./compass-file')).readCompassFile(text, passphrase);
    case 'text':
    case 'env':
      return (await import('./text-file')).readTextConnections(text);
  }
}

/** The intake's decoding of file bytes (UTF-8, a byte-order mark dropped, bad bytes replaced). */
export function decodeFileBytes(bytes: Uint8Array): string {
  return new TextDecoder('utf-8', { fatal: false }).decode(bytes);
}

/** The federation client's errors a caller tells apart: an instance of the wrong version, or one refusing unsigned reads. */
import { VersiaProtocolError } from './transport';

/** The instance lists no Versia version Cutover speaks. */
export class VersiaVersionError extends VersiaProtocolError {
  override name = 'VersiaVersionError';
  constructor(
    readonly domain: string,
    readonly versions: string[],
  ) {
    super(
      `${domain} does not speak Versia v0.6 (its /.well-known/versia lists ${versions.join(', ') || 'no version'}).`,
    );
  }
}

/** The instance refuses unsigned reads (401): only another instance, with a key, can read it. */
export class VersiaSignedReadsError extends VersiaProtocolError {
  override name = 'VersiaSignedReadsError';
  constructor(
    readonly domain: string,
    path: string,
  ) {
    super(
      `${domain} answered 401 to an unsigned read of ${path}: this instance requires instance-signed reads, which a desktop client cannot make (Cutover holds no instance key).`,
      401,
    );
  }
}

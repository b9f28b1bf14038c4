/**
 * The driver's SCRAM module loads @mongodb-js/saslprep when it is loaded, and saslprep gunzips its
 * Unicode tables then: some 40 ms in every thread that loads the driver, for a function used only when
 * a SCRAM-SHA-256 password is sent. The command line's bundle (vite.config.ts) gives the driver this
 * stand-in, which loads the real one on its first call.
 */
'use strict';

let real;

function saslprep(input, options) {
  real ??= require('@mongodb-js/saslprep');
  return real.saslprep(input, options);
}

saslprep.saslprep = saslprep;
saslprep.default = saslprep;
module.exports = saslprep;

// Every error code a client can get has a Swedish text on the pages (web/common.js ERROR_TEXT):
// the server's own table of codes (`lagesbild error-codes`, core/error_codes.cpp), which a unit
// test keeps equal to the table in docs/protocol.md.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { serverBinary } from '../support/server.mjs';
import { ERROR_TEXT } from '../../web/common.js';

/** [{code, meaning, to_clients}] from the real binary. */
function serverCodes() {
  return JSON.parse(execFileSync(serverBinary, ['error-codes'], { encoding: 'utf8' }));
}

test('every error code has a Swedish text', () => {
  const codes = serverCodes().filter((entry) => entry.to_clients).map((entry) => entry.code);
  assert.ok(codes.length >= 30, `the server lists ${codes.length} codes a client can get`);
  const missing = codes.filter((code) => !ERROR_TEXT[code]?.trim());
  assert.deepEqual(missing, [], `codes without a Swedish text: ${missing.join(', ')}`);
  // Swedish, not the code again.
  for (const [code, text] of Object.entries(ERROR_TEXT)) assert.notEqual(text, code);
  assert.match(ERROR_TEXT.rate_limited, /inget sparades/);
  assert.match(ERROR_TEXT.store_failed, /inget sparades/);
  assert.match(ERROR_TEXT.unknown_message, /stängt eller arkiverat/);
});

// Every error code a client can get has a Swedish text on the pages (web/common.js ERROR_TEXT):
// each code in the error table of docs/protocol.md, and the codes of the robustness work and of
// exercises, whether or not the table lists them yet.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../support/server.mjs';
import { ERROR_TEXT } from '../../web/common.js';

/** The codes in the first column of the tables under the "### error" heading of the protocol. */
function documentedCodes() {
  const lines = readFileSync(join(repoRoot, 'docs', 'protocol.md'), 'utf8').split('\n');
  const start = lines.findIndex((line) => /^###\s+error\b/.test(line));
  assert.ok(start >= 0, 'docs/protocol.md has its "### error" section');
  const codes = new Set();
  for (const line of lines.slice(start + 1)) {
    if (/^#/.test(line)) break;
    const first = /^\|([^|]*)\|/.exec(line)?.[1] ?? '';
    for (const [, code] of first.matchAll(/`([a-z_]+)`/g)) codes.add(code);
  }
  return codes;
}

const ALSO = [
  'rate_limited', 'sign_in_required', 'origin_forbidden', 'busy', 'method_not_allowed', 'internal_error',
  'store_failed', 'unknown_message', 'unauthorized', 'forbidden', 'shutting_down',
  'unknown_scenario', 'invalid_scenario', 'space_exists', 'not_an_exercise', 'not_running', 'exercise_stopped',
];

test('every error code has a Swedish text', () => {
  const documented = documentedCodes();
  assert.ok(documented.size >= 15, `found ${documented.size} codes in the protocol's error table`);
  const missing = [...new Set([...documented, ...ALSO])].filter((code) => !ERROR_TEXT[code]?.trim());
  assert.deepEqual(missing, [], `codes without a Swedish text: ${missing.join(', ')}`);
  // Swedish, not the code again.
  for (const [code, text] of Object.entries(ERROR_TEXT)) assert.notEqual(text, code);
  assert.match(ERROR_TEXT.rate_limited, /inget sparades/);
  assert.match(ERROR_TEXT.store_failed, /inget sparades/);
  assert.match(ERROR_TEXT.unknown_message, /stängt eller arkiverat/);
});

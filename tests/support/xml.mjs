// The official OASIS schemas (../shared/schemas, which CI has next to the checkout) and xmllint
// (Debian libxml2-utils): validates an export the way a receiving system would.
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir, repoRoot } from './server.mjs';

export const schemasDir = join(repoRoot, '..', 'shared', 'schemas');
export const haveSchema = join(schemasDir, 'edxl-have-1.0', 'edxl-have.xsd');
export const capSchema = join(schemasDir, 'cap-1.2', 'CAP-v1.2.xsd');

if (!existsSync(haveSchema) || !existsSync(capSchema)) {
  throw new Error(`the OASIS schemas are missing: ${schemasDir} (../shared/schemas next to the checkout)`);
}

const scratch = makeTempDir('lagesbild-xml-');
process.on('exit', () => scratch.remove());
let counter = 0;

/** xmllint --nonet --noout --schema: resolves when valid, throws with xmllint's complaint. */
export function validate(xml, schema) {
  const file = join(scratch.path, `doc-${++counter}.xml`);
  writeFileSync(file, xml);
  try {
    execFileSync('xmllint', ['--nonet', '--noout', '--schema', schema, file], { stdio: 'pipe' });
  } catch (error) {
    throw new Error(`not valid against ${schema}:\n${error.stderr}\n--- the document:\n${xml}`);
  }
}

/** The HospitalStatus inside an EDXL-DE envelope, as a document of its own. */
export function embeddedHave(xml) {
  const match = xml.match(/<embeddedXMLContent>\s*(<HospitalStatus[\s\S]*<\/HospitalStatus>)\s*<\/embeddedXMLContent>/);
  if (!match) throw new Error(`no embedded HospitalStatus in:\n${xml}`);
  return `<?xml version="1.0" encoding="UTF-8"?>\n${match[1]}\n`;
}

/** The text of every <name>…</name> (no nesting), in order. */
export function texts(xml, name) {
  return [...xml.matchAll(new RegExp(`<${name}>([^<]*)</${name}>`, 'g'))].map((m) => m[1]);
}

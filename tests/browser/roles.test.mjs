// Who may do what on the pages (web/roles.js) without a browser: the server's matrix as the pages
// need it (an admin writes everywhere, a trainer runs exercises and writes only in them, a
// reporter for its own region, a viewer reads), a Swedish label for every role the real binary
// knows, and who a message from no region is from.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { serverBinary } from '../support/server.mjs';
import {
  isExerciseSpace, runsExercises, actsForAllRegions, canWrite, canPost, roleWord, readOnlyText,
} from '../../web/roles.js';
import { ROLE_LABELS } from '../../web/common.js';
import { senderText } from '../../web/messages.js';

const admin = { id: 'admin', role: 'admin' };
const trainer = { id: 'trainer', role: 'trainer' };
const reporter = { id: 'tib-orebro', role: 'reporter', region: 'orebro' };
const viewer = { id: 'viewer', role: 'viewer' };

test('exercise spaces by name: ovning-… and a dry run\'s provkorning-…, never live', () => {
  for (const space of ['ovning-demo-10min-1', 'provkorning-demo-10min-2']) assert.equal(isExerciseSpace(space), true, space);
  for (const space of ['live', '', null, undefined, 'ovning', 'LIVE', 'x-ovning-1', 'Ovning-1']) {
    assert.equal(isExerciseSpace(space), false, String(space));
  }
});

test('admins and trainers run exercises and act for every region; reporters, viewers and the anonymous do not', () => {
  for (const user of [admin, trainer]) {
    assert.equal(runsExercises(user), true, user.role);
    assert.equal(actsForAllRegions(user), true, user.role);
  }
  for (const user of [reporter, viewer, null, undefined, { id: 'x', role: 'superuser' }]) {
    assert.equal(runsExercises(user), false, JSON.stringify(user));
    assert.equal(actsForAllRegions(user), false, JSON.stringify(user));
  }
});

test('writing: an admin always, a trainer only in an exercise, a reporter for its own region', () => {
  for (const exercise of [false, true]) {
    for (const region of ['orebro', 'uppsala', '']) {
      const where = `exercise=${exercise} region=${region}`;
      assert.equal(canWrite(admin, { exercise, region }), true, `admin ${where}`);
      assert.equal(canWrite(trainer, { exercise, region }), exercise, `trainer ${where}`);
      assert.equal(canWrite(reporter, { exercise, region }), region === 'orebro', `reporter ${where}`);
      assert.equal(canWrite(viewer, { exercise, region }), false, `viewer ${where}`);
      assert.equal(canWrite(null, { exercise, region }), false, `anonymous ${where}`);
    }
    assert.equal(canPost(admin, { exercise }), true);
    assert.equal(canPost(trainer, { exercise }), exercise, 'a trainer posts in exercises only');
    assert.equal(canPost(reporter, { exercise }), true);
    assert.equal(canPost({ id: 'r', role: 'reporter' }, { exercise }), false, 'a reporter without a region');
    assert.equal(canPost(viewer, { exercise }), false);
    assert.equal(canPost(null, { exercise }), false);
  }
  // Nothing said: live.
  assert.equal(canWrite(trainer, { region: 'orebro' }), false);
  assert.equal(canPost(trainer), false);
  assert.equal(canWrite(admin), true);
});

test('every role the server knows has a Swedish label; admin is administratör, trainer övningsledare', () => {
  const help = execFileSync(serverBinary, ['users', 'add', '--help'], { encoding: 'utf8' });
  const roles = /--role TEXT:\{([^}]+)\}/.exec(help)?.[1].split(',');
  assert.ok(roles?.includes('admin') && roles.includes('trainer'), help);
  for (const role of roles) assert.ok(ROLE_LABELS[role]?.trim(), `no label for ${role}`);
  assert.equal(roleWord('admin'), 'administratör');
  assert.equal(roleWord('trainer'), 'övningsledare');
  assert.equal(roleWord('reporter'), 'rapportör');
  assert.equal(roleWord('nobody-knows'), 'användare');
});

test('the TiB page says why it is read-only: a trainer in live is sent to an admin', () => {
  assert.match(readOnlyText(null), /Logga in med din nyckel/);
  assert.match(readOnlyText(viewer), /inloggad som läsare och kan se läget men inte rapportera/);
  const trainerLive = readOnlyText(trainer, { exercise: false });
  assert.match(trainerLive, /övningsledare/);
  assert.match(trainerLive, /skarpt läge/);
  assert.match(trainerLive, /administratör/);
  assert.doesNotMatch(readOnlyText(trainer, { exercise: true }), /administratör/);
});

test('a message from no region is the admin\'s in live and the exercise management\'s in an exercise', () => {
  const name = (id) => ({ orebro: 'Örebro län' })[id] ?? id;
  assert.equal(senderText({ id: 'live:12', from: null, sent_by: 'admin' }, name), 'Administratör (admin)');
  assert.equal(senderText({ id: 'ovning-demo-10min-1:4', from: null, sent_by: 'trainer' }, name), 'Övningsledningen (trainer)');
  assert.equal(senderText({ id: 'provkorning-demo-10min-1:4', from: null }, name), 'Övningsledningen');
  assert.equal(senderText({ id: 'live:13', from: 'orebro', sent_by: 'tib-orebro' }, name), 'Örebro län (tib-orebro)');
  assert.equal(senderText({ id: 'live:14', from: null, sender: 'sos_alarm' }, name), 'SOS Alarm');
});

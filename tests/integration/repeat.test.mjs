// A command sent again with its id (a TiB page's outbox after the link came back) is stored once:
// the repeat is answered with the original ack and "already": true — on another connection, after
// a graceful restart and after a kill -9 — while a refused one is judged anew and another user's
// same id is a command of its own.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getJson } from '../support/server.mjs';
import { withServer } from '../support/fixture.mjs';

const reportCmd = (id, available, hospital = 'karlstad') => ({
  v: 1, type: 'report_capacity', id, space: 'live', hospital, beds: { AdultICU: { available } },
});

async function historyOf(server, hospital) {
  const { body } = await getJson(server, `/api/history?hospital=${hospital}`);
  return body.entries;
}

test('a repeat is answered with the original ack and stored once, across connections and restarts', async () => {
  await withServer({}, async (server) => {
    const first = await server.client('tib-varmland');
    const ack = await first.command(reportCmd('outbox-1', 6));
    assert.equal(ack.type, 'ack', JSON.stringify(ack));
    assert.equal(ack.already, undefined);
    first.close();

    const again = await server.client('tib-varmland');
    const repeat = await again.command(reportCmd('outbox-1', 6));
    assert.deepEqual({ ...repeat }, { v: 1, type: 'ack', id: 'outbox-1', space: 'live', seq: ack.seq, already: true });
    again.close();
    assert.equal((await historyOf(server, 'karlstad')).length, 1);

    for (const signal of ['SIGTERM', 'SIGKILL']) {
      await server.restart({ signal });
      const after = await server.client('tib-varmland');
      const repeated = await after.command(reportCmd('outbox-1', 6));
      assert.equal(repeated.already, true, `after ${signal}: ${JSON.stringify(repeated)}`);
      assert.equal(repeated.seq, ack.seq);
      after.close();
    }
    assert.equal((await historyOf(server, 'karlstad')).length, 1, 'stored exactly once');
    assert.equal((await getJson(server, '/healthz')).body.spaces.live, ack.seq, 'nothing stored after it');
  });
});

test('a refused command is judged again; another user\'s same id is its own command', async () => {
  await withServer({}, async (server) => {
    const tib = await server.client('tib-varmland');
    const refused = await tib.command(reportCmd('outbox-2', 99999));
    assert.equal(refused.type, 'error');
    const fixed = await tib.command(reportCmd('outbox-2', 3));
    assert.equal(fixed.type, 'ack', JSON.stringify(fixed));
    assert.equal(fixed.already, undefined);

    const admin = await server.client('admin');
    const own = await admin.command(reportCmd('outbox-2', 4));
    assert.equal(own.type, 'ack');
    assert.equal(own.already, undefined);
    assert.equal((await historyOf(server, 'karlstad')).length, 2);

    // A board never sees the sender's id.
    const board = await server.client(null, '?space=live');
    await board.nextOfType('snapshot');
    const watched = board.nextOfType('delta');
    assert.equal((await tib.command(reportCmd('outbox-secret-id', 2))).type, 'ack');
    assert.doesNotMatch(JSON.stringify(await watched), /outbox-secret-id/);
  });
});

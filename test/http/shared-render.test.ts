import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { SharedRender } from '../../src/http/shared-render.js';
import { waitFor } from '../run/helpers.js';

/** A render counting its calls, a settable clock and the release callbacks it was given. */
function setup(cacheMs: number): { shared: SharedRender; clock: { t: number }; releases: Array<{ run: () => void; ms: number }> } {
  let calls = 0;
  const clock = { t: 0 };
  const releases: Array<{ run: () => void; ms: number }> = [];
  const shared = new SharedRender(() => [`render ${++calls}\n`], {
    cacheMs,
    now: () => clock.t,
    schedule: (run, ms) => releases.push({ run, ms }),
  });
  return { shared, clock, releases };
}

/** The text of a render: what a client that asks for no encoding receives. */
async function text(rendered: Promise<Buffer>): Promise<string> {
  return gunzipSync(await rendered).toString('utf8');
}

describe('shared metrics render', () => {
  it('reuses a finished render within cacheMs, then lets its text go', async () => {
    const { shared, clock, releases } = setup(1_000);
    assert.equal(await text(shared.get()), 'render 1\n');
    assert.equal(shared.holding, true);
    assert.deepEqual(
      releases.map((r) => r.ms),
      [1_000],
    );
    clock.t = 500;
    assert.equal(await text(shared.get()), 'render 1\n');
    assert.equal(shared.renders, 1);
    clock.t = 1_000;
    releases[0]!.run();
    assert.equal(shared.holding, false, 'no text is held once cacheMs is over');
    assert.equal(await text(shared.get()), 'render 2\n');
    assert.equal(shared.renders, 2);
  });

  it('the release of an older render does not drop a newer one', async () => {
    const { shared, clock, releases } = setup(1_000);
    await shared.get();
    clock.t = 1_000;
    assert.equal(await text(shared.get()), 'render 2\n', 'expired by the clock before its release ran');
    releases[0]!.run();
    assert.equal(shared.holding, true);
    clock.t = 1_500;
    assert.equal(await text(shared.get()), 'render 2\n');
    releases[1]!.run();
    assert.equal(shared.holding, false);
  });

  it('holds nothing with cacheMs 0 (only the in-flight render is shared)', async () => {
    const { shared, releases } = setup(0);
    const [a, b] = await Promise.all([text(shared.get()), text(shared.get())]);
    assert.equal(a, 'render 1\n');
    assert.equal(b, 'render 1\n');
    assert.equal(shared.holding, false);
    assert.equal(releases.length, 0);
    assert.equal(await text(shared.get()), 'render 2\n');
  });

  it('lets the text go after cacheMs with the default timer, which keeps no process alive', async () => {
    const shared = new SharedRender(() => ['x'.repeat(1_000_000)], { cacheMs: 20 });
    assert.equal((await text(shared.get())).length, 1_000_000);
    assert.equal(shared.holding, true);
    await waitFor(() => !shared.holding, 5_000, 'the cached text released');
  });
});

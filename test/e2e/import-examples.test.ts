import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { useExamplesCli } from '../helpers/examples.js';
import { assertRoundTrip, readTree, stripOwnership, tempOutput } from '../helpers/import-roundtrip.js';

describe('ecs-gitops import on the examples (sandbox)', () => {
  const f = useExamplesCli();

  it('examples applied, ownership tags removed: import -> plan shows only ownership tags -> apply -> plan 0, every setting unchanged', async () => {
    const applied = await f.cli('apply', '--source', 'examples', '--wait', '5s');
    assert.equal(applied.code, 0, `${applied.out}\n${applied.err}`);
    await stripOwnership(f.ecs, f.sd, 'demo');
    const out = await tempOutput();
    try {
      const imported = await assertRoundTrip(f.cli, f.ecs, f.sd, 'demo', out.dir, ['--all']);
      const files = await readTree(out.dir);
      assert.ok(files['namespaces.yaml'], Object.keys(files).join(', '));
      assert.match(imported.out, /Imported \d+ resource/);
      for (const [path, content] of Object.entries(files)) {
        assert.match(content, /^# yaml-language-server: \$schema=\S+manifest\.schema\.json\n/, path);
        assert.match(content, /syncPolicy:\n\s+adopt: true/, path);
      }
      // A second import refuses to overwrite and writes nothing; --force replaces with the same bytes.
      const again = await f.cli('import', '--cluster', 'demo', '--all', '--output', out.dir);
      assert.equal(again.code, 1);
      assert.match(again.err, /use --force/);
      const forced = await f.cli('import', '--cluster', 'demo', '--all', '--output', out.dir, '--force');
      assert.equal(forced.code, 0, forced.err);
      assert.deepEqual(await readTree(out.dir), files, 'deterministic output');
    } finally {
      await out.remove();
    }
  });
});

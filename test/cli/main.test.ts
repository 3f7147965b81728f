import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { main } from '../../src/cli/main.js';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { stdout: (t: string) => out.push(t), stderr: (t: string) => err.push(t), env: {} }, out: () => out.join(''), err: () => err.join('') };
}

describe('ecs-gitops command line', () => {
  const typos: [string, string[], RegExp][] = [
    ['an unknown option of plan', ['plan', '--sourc', 'x'], /^error: Unknown option '--sourc'.* \(see ecs-gitops plan --help\)\n$/s],
    ['an unknown option of status', ['status', '--bogus'], /^error: Unknown option '--bogus'.* \(see ecs-gitops status --help\)\n$/s],
    [
      'an option without its value',
      ['validate', '--output'],
      /^error: Option '-o, --output <value>' argument missing.* \(see ecs-gitops validate --help\)\n$/s,
    ],
  ];
  for (const [what, argv, message] of typos) {
    it(`answers ${what} with one error line and exit 1, not a stack trace`, async () => {
      const c = capture();
      assert.equal(await main(argv, c.io), 1);
      assert.match(c.err(), message);
      assert.doesNotMatch(c.err(), /\n\s+at /);
    });
  }

  it('names an unknown command and lists the commands', async () => {
    const c = capture();
    assert.equal(await main(['plna'], c.io), 1);
    assert.match(c.err(), /^error: unknown command "plna"/);
    assert.match(c.err(), /^ {2}plan +/m);
  });

  it('prints the version of package.json for --version and -v', async () => {
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
    for (const flag of ['--version', '-v']) {
      const c = capture();
      assert.equal(await main([flag], c.io), 0);
      assert.equal(c.out(), `${pkg.version}\n`);
    }
  });
});

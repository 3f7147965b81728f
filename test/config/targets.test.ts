import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseControllerConfig } from '../../src/config/controller-config.js';
import { ConfigError } from '../../src/config/options.js';
import { parseTargets } from '../../src/config/targets.js';

const GOOD = `targets:
  - name: prod
    account: "111111111111"
    region: eu-west-1
    roleArn: arn:aws:iam::111111111111:role/ecs-gitops-member
    externalId: ext-1
    paths: [accounts/prod/, ./shared/base.yaml]
  - account: "222222222222"
    region: us-east-1
    paths: [accounts/own]
`;

function errorOf(text: string): string {
  try {
    parseTargets(text, 'targets.yaml');
  } catch (err) {
    assert.ok(err instanceof ConfigError, String(err));
    return err.message;
  }
  assert.fail('no error');
}

describe('targets file', () => {
  it('parses targets: default name, normalized paths, optional role for the own account', () => {
    assert.deepEqual(parseTargets(GOOD, 'targets.yaml'), [
      {
        name: 'prod',
        account: '111111111111',
        region: 'eu-west-1',
        roleArn: 'arn:aws:iam::111111111111:role/ecs-gitops-member',
        externalId: 'ext-1',
        paths: ['accounts/prod', 'shared/base.yaml'],
      },
      { name: '222222222222/us-east-1', account: '222222222222', region: 'us-east-1', paths: ['accounts/own'] },
    ]);
  });

  it('names file and line of each mistake', () => {
    assert.equal(errorOf('targets: []\n'), 'targets.yaml:1: "targets" must be a non-empty list');
    assert.match(
      errorOf('targets:\n  - account: 1111\n    region: eu-west-1\n    paths: [a]\n'),
      /^targets\.yaml:2: targets\[0\]\.account must be a 12-digit account id/,
    );
    assert.match(
      errorOf('targets:\n  - account: "111111111111"\n    region: mars\n    paths: [a]\n'),
      /^targets\.yaml:3: targets\[0\]\.region must be an AWS region/,
    );
    assert.match(
      errorOf('targets:\n  - account: "111111111111"\n    region: eu-west-1\n    roleArn: arn:aws:iam::222222222222:role/x\n    paths: [a]\n'),
      /^targets\.yaml:4: targets\[0\]\.roleArn is a role of account 222222222222, not of the target's account 111111111111/,
    );
    assert.match(
      errorOf('targets:\n  - account: "111111111111"\n    region: eu-west-1\n    paths: [a]\n    role: x\n'),
      /^targets\.yaml:5: targets\[0\]: unknown field "role"/,
    );
    assert.match(
      errorOf('targets:\n  - account: "111111111111"\n    region: eu-west-1\n    paths: [../up]\n'),
      /^targets\.yaml:4: targets\[0\]\.paths\[0\] must be relative/,
    );
    assert.match(errorOf('targets:\n  - account: "111111111111"\n    region: eu-west-1\n'), /^targets\.yaml:2: targets\[0\]\.paths must be a non-empty list/);
    assert.match(
      errorOf('targets:\n  - account: "111111111111"\n    region: eu-west-1\n    externalId: abc\n    paths: [a]\n'),
      /^targets\.yaml:4: targets\[0\]\.externalId needs a roleArn/,
    );
    assert.match(
      errorOf(
        'targets:\n  - account: "111111111111"\n    region: eu-west-1\n    paths: [a]\n  - account: "111111111111"\n    region: eu-west-1\n    paths: [b]\n',
      ),
      /^targets\.yaml:5: targets\[1\]: the name "111111111111\/eu-west-1" is already used at targets\.yaml:2/,
    );
    assert.match(errorOf('targets:\n  - [unclosed\n'), /^targets\.yaml:\d+: /);
    assert.match(errorOf('accounts: []\n'), /^targets\.yaml:1: unknown key "accounts"/);
  });

  it('run --targets reads the file at start; a bad file stops the start naming it', () => {
    const files: Record<string, string> = { 'good.yaml': GOOD, 'bad.yaml': 'targets:\n  - account: x\n' };
    const readFile = (p: string): string => {
      const body = files[p];
      if (body === undefined) throw new Error(`ENOENT: no such file, open '${p}'`);
      return body;
    };
    const config = parseControllerConfig(['--source', 'examples', '--targets', 'good.yaml'], {}, { readFile });
    assert.equal(config.targets?.file, 'good.yaml');
    assert.equal(config.targets?.list.length, 2);
    assert.equal(parseControllerConfig(['--source', 'examples'], {}, { readFile }).targets, undefined);
    assert.throws(
      () => parseControllerConfig(['--source', 'examples', '--targets', 'bad.yaml'], {}, { readFile }),
      (err: unknown) => err instanceof ConfigError && /^bad\.yaml:2: targets\[0\]\.account/.test(err.message),
    );
    assert.throws(() => parseControllerConfig(['--source', 'examples', '--targets', 'missing.yaml'], {}, { readFile }), /cannot read missing\.yaml/);
    // The environment variable works like the flag.
    assert.equal(parseControllerConfig(['--source', 'examples'], { ECS_GITOPS_TARGETS: 'good.yaml' }, { readFile }).targets?.list[0]?.name, 'prod');
  });
});

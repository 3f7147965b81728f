// Makes the two README commands work on a fresh clone:
// - installs the locked npm dependencies with `npm ci` when node_modules is missing or older
//   than package-lock.json (CI runs `npm ci` itself, so it pays nothing twice), with
//   --ignore-scripts: the caller builds next, so the `prepare` build would be a second one, and
//   no dependency needs an install script;
// - with --system (used by `npm test`): installs the Debian packages some tests drive (git,
//   the AWS CLI, promtool) when they are missing and apt-get can be used (root); otherwise
//   it says which are missing, and those tests fail with a clear message.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';

function run(cmd, args) {
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

const installed = 'node_modules/.package-lock.json';
if (!existsSync(installed) || statSync(installed).mtimeMs < statSync('package-lock.json').mtimeMs) {
  console.error('ecs-gitops: installing dependencies (npm ci)...');
  run(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund']);
}

if (process.argv.includes('--system')) {
  const onPath = (name) => spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
  const wanted = [
    ['git', onPath('git')],
    ['awscli', existsSync('/usr/bin/aws')],
    ['prometheus', onPath('promtool')],
  ];
  const missing = wanted.filter(([, present]) => !present).map(([pkg]) => pkg);
  if (missing.length > 0) {
    const root = typeof process.getuid === 'function' && process.getuid() === 0;
    if (root && onPath('apt-get')) {
      console.error(`ecs-gitops: installing Debian packages the tests use: ${missing.join(' ')}`);
      run('apt-get', ['update', '-qq']);
      run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing]);
    } else {
      console.error(`ecs-gitops: the tests also need these Debian packages: ${missing.join(' ')} (apt-get install ${missing.join(' ')})`);
    }
  }
}

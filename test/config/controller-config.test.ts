import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CONTROLLER_OPTIONS, controllerOptionsHelp, loggableConfig, parseControllerConfig, parseListen } from '../../src/config/controller-config.js';
import { ConfigError } from '../../src/config/options.js';
import { DEFAULT_RATE_LIMITS } from '../../src/controller/rate-limiter.js';
import { runCli } from '../helpers/examples.js';

const parse = (argv: string[], env: Record<string, string> = {}, files: Record<string, string> = {}) =>
  parseControllerConfig(argv, env, {
    readFile: (p) => {
      const f = files[p];
      if (f === undefined) throw Object.assign(new Error('nope'), { code: 'ENOENT' });
      return f;
    },
  });

describe('controller configuration', () => {
  it('applies documented defaults', () => {
    const c = parse(['--source', 'examples']);
    assert.equal(c.source, 'examples');
    assert.equal(c.intervalMs, 60_000);
    assert.equal(c.resyncMs, 60_000);
    assert.equal(c.workers, 4);
    assert.equal(c.defaultMode, 'enforce');
    assert.equal(c.controllerId, 'ecs-gitops');
    assert.deepEqual(c.prune, { enabled: true, maxDeletions: 10, maxPercent: 50 });
    assert.deepEqual(c.listen, { host: '0.0.0.0', port: 8080 });
    assert.equal(c.logLevel, 'info');
    assert.equal(c.shutdownGraceMs, 25_000);
    assert.ok(c.shutdownGraceMs < 30_000, 'below the Fargate stop timeout');
    assert.equal(c.healthIntervalMs, 30_000);
    assert.equal(c.webhookSecret, undefined);
    assert.deepEqual(c.rateLimits, DEFAULT_RATE_LIMITS);
  });

  it('reads ECS_GITOPS_* variables and lets flags win over them', () => {
    const env = {
      ECS_GITOPS_SOURCE: 's3://bucket/prefix',
      ECS_GITOPS_RESYNC: '30s',
      ECS_GITOPS_WORKERS: '8',
      ECS_GITOPS_LISTEN: '127.0.0.1:9000',
      ECS_GITOPS_DEFAULT_MODE: 'observe',
    };
    const fromEnv = parse([], env);
    assert.equal(fromEnv.source, 's3://bucket/prefix');
    assert.equal(fromEnv.resyncMs, 30_000);
    assert.equal(fromEnv.workers, 8);
    assert.equal(fromEnv.defaultMode, 'observe');
    const flagged = parse(['--resync', '5s', '--workers', '2', '--listen', '127.0.0.1:4000'], env);
    assert.equal(flagged.resyncMs, 5_000);
    assert.equal(flagged.workers, 2);
    assert.deepEqual(flagged.listen, { host: '127.0.0.1', port: 4000 });
    assert.equal(flagged.source, 's3://bucket/prefix');
  });

  it('overrides rate limits per family from repeated flags or a comma list in env', () => {
    const c = parse(['--source', 'x', '--rate-limit', 'ecs-write=2:10', '--rate-limit', 'route53=1']);
    assert.deepEqual(c.rateLimits['ecs-write'], { perSecond: 2, burst: 10 });
    assert.deepEqual(c.rateLimits.route53, { perSecond: 1, burst: 2 });
    assert.deepEqual(c.rateLimits['ecs-read'], DEFAULT_RATE_LIMITS['ecs-read']);
    const e = parse(['--source', 'x'], { ECS_GITOPS_RATE_LIMITS: 'ecs-read=5:5, s3=20' });
    assert.deepEqual(e.rateLimits['ecs-read'], { perSecond: 5, burst: 5 });
    assert.deepEqual(e.rateLimits.s3, { perSecond: 20, burst: 40 });
  });

  const bad: [string, string[], Record<string, string>, RegExp][] = [
    ['missing source', [], {}, /--source \/ ECS_GITOPS_SOURCE is required/],
    ['bad duration', ['--source', 'x', '--resync', 'soon'], {}, /--resync \/ ECS_GITOPS_RESYNC: invalid duration "soon"/],
    ['too short interval', ['--source', 'x'], { ECS_GITOPS_INTERVAL: '10ms' }, /--interval \/ ECS_GITOPS_INTERVAL must be at least 1s/],
    ['zero workers', ['--source', 'x', '--workers', '0'], {}, /--workers \/ ECS_GITOPS_WORKERS must be an integer from 1 to 64/],
    ['bad mode', ['--source', 'x', '--default-mode', 'yolo'], {}, /--default-mode .* must be one of enforce, observe/],
    ['bad listen', ['--source', 'x', '--listen', 'localhost'], {}, /--listen .* must be host:port/],
    ['bad log level', ['--source', 'x'], { ECS_GITOPS_LOG_LEVEL: 'loud' }, /ECS_GITOPS_LOG_LEVEL must be one of fatal/],
    ['unknown family', ['--source', 'x', '--rate-limit', 'ec2=1'], {}, /unknown API family "ec2"/],
    ['malformed rate', ['--source', 'x', '--rate-limit', 'ecs-read'], {}, /is not family=rate\[:burst\]/],
    ['percent > 100', ['--source', 'x', '--prune-max-percent', '150'], {}, /--prune-max-percent .* from 0 to 100/],
    ['unknown flag', ['--source', 'x', '--frobnicate'], {}, /Unknown option '--frobnicate'/],
    ['secret as flag', ['--source', 'x', '--webhook-secret', 's'], {}, /Unknown option '--webhook-secret'/],
    ['bad controller id', ['--source', 'x', '--controller-id', 'a b'], {}, /--controller-id .* must be 1-63/],
  ];
  for (const [name, argv, env, message] of bad) {
    it(`rejects ${name} with an error naming the option`, () => {
      assert.throws(
        () => parse(argv, env),
        (err: unknown) => err instanceof ConfigError && message.test(err.message),
      );
    });
  }

  it('reads extra clusters to observe from repeated --cluster flags or a comma list in ECS_GITOPS_CLUSTERS', () => {
    assert.deepEqual(parse(['--source', 'x']).clusters, []);
    assert.deepEqual(parse(['--source', 'x', '--cluster', 'prod', '--cluster', 'batch', '--cluster', 'prod']).clusters, ['prod', 'batch']);
    assert.deepEqual(parse(['--source', 'x'], { ECS_GITOPS_CLUSTERS: 'prod, batch' }).clusters, ['prod', 'batch']);
    assert.throws(
      () => parse(['--source', 'x', '--cluster', 'no/slash']),
      (err: Error) => err instanceof ConfigError && /--cluster \/ ECS_GITOPS_CLUSTERS: "no\/slash"/.test(err.message),
    );
  });

  it('reads the webhook secret from env or a file, and never shows it in the loggable form', () => {
    assert.equal(parse(['--source', 'x'], { ECS_GITOPS_WEBHOOK_SECRET: 'from-env' }).webhookSecret, 'from-env');
    const c = parse(['--source', 'https://u:pw@git.example.com/r.git', '--webhook-secret-file', '/run/secret'], {}, { '/run/secret': 'from-file\n' });
    assert.equal(c.webhookSecret, 'from-file');
    const shown = JSON.stringify(loggableConfig(c));
    assert.ok(!shown.includes('from-file') && !shown.includes(':pw@'), shown);
    assert.match(shown, /"webhookSecret":"set"/);
    assert.throws(() => parse(['--source', 'x', '--webhook-secret-file', '/missing']), /cannot read \/missing: ENOENT/);
    assert.throws(
      () => parse(['--source', 'x', '--webhook-secret-file', '/run/secret'], { ECS_GITOPS_WEBHOOK_SECRET: 'y' }, { '/run/secret': 'z' }),
      /not both/,
    );
  });

  it('reads --webhook-listen, --webhook-min-interval and --http-max-connections from flags or env, with defaults', () => {
    const d = parse(['--source', 'x']);
    assert.equal(d.webhookListen, undefined);
    assert.equal(d.webhookMinIntervalMs, 5_000);
    assert.equal(d.httpMaxConnections, 256);
    const f = parse([
      '--source',
      'x',
      '--listen',
      '127.0.0.1:8080',
      '--webhook-listen',
      '0.0.0.0:9443',
      '--webhook-min-interval',
      '30s',
      '--http-max-connections',
      '64',
    ]);
    assert.deepEqual(f.webhookListen, { host: '0.0.0.0', port: 9443 });
    assert.equal(f.webhookMinIntervalMs, 30_000);
    assert.equal(f.httpMaxConnections, 64);
    const e = parse(['--source', 'x'], { ECS_GITOPS_WEBHOOK_LISTEN: ':9000', ECS_GITOPS_WEBHOOK_MIN_INTERVAL: '0s', ECS_GITOPS_HTTP_MAX_CONNECTIONS: '1000' });
    assert.deepEqual(e.webhookListen, { host: '0.0.0.0', port: 9000 });
    assert.equal(e.webhookMinIntervalMs, 0);
    assert.equal(e.httpMaxConnections, 1000);
    // The flag wins over the environment.
    assert.equal(parse(['--source', 'x', '--http-max-connections', '8'], { ECS_GITOPS_HTTP_MAX_CONNECTIONS: '1000' }).httpMaxConnections, 8);
    // Two free ports (tests) never clash.
    assert.deepEqual(parse(['--source', 'x', '--listen', '127.0.0.1:0', '--webhook-listen', '127.0.0.1:0']).webhookListen, { host: '127.0.0.1', port: 0 });
  });

  const badHttp: [string, string[], Record<string, string>, RegExp][] = [
    [
      'webhook listener on the main address',
      ['--listen', '0.0.0.0:8080', '--webhook-listen', '0.0.0.0:8080'],
      {},
      /--webhook-listen \/ ECS_GITOPS_WEBHOOK_LISTEN must differ from --listen/,
    ],
    ['webhook listener on the main port of a wildcard', ['--listen', ':8080', '--webhook-listen', '127.0.0.1:8080'], {}, /must differ from --listen/],
    ['webhook listener without a port', ['--webhook-listen', 'hooks.example.com'], {}, /--webhook-listen \/ ECS_GITOPS_WEBHOOK_LISTEN.* must be host:port/],
    [
      'bad webhook interval',
      [],
      { ECS_GITOPS_WEBHOOK_MIN_INTERVAL: 'often' },
      /--webhook-min-interval \/ ECS_GITOPS_WEBHOOK_MIN_INTERVAL: invalid duration "often"/,
    ],
    [
      'zero connections',
      ['--http-max-connections', '0'],
      {},
      /--http-max-connections \/ ECS_GITOPS_HTTP_MAX_CONNECTIONS must be an integer from 1 to 100000 \(got "0"\)/,
    ],
    ['too many connections', [], { ECS_GITOPS_HTTP_MAX_CONNECTIONS: '100001' }, /must be an integer from 1 to 100000/],
    ['fractional connections', ['--http-max-connections', '2.5'], {}, /must be an integer from 1 to 100000/],
  ];
  for (const [name, argv, env, message] of badHttp) {
    it(`rejects ${name} with an error naming the option`, () => {
      assert.throws(
        () => parse(['--source', 'x', ...argv], env),
        (err: unknown) => err instanceof ConfigError && message.test(err.message),
      );
    });
  }

  it('lists the HTTP hardening options with their env vars and defaults in run --help', async () => {
    const r = await runCli(['run', '--help'], {});
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /--webhook-listen <host:port> [^\n]*\n +\(env ECS_GITOPS_WEBHOOK_LISTEN\)/);
    assert.match(r.out, /--webhook-min-interval <duration> [^\n]*\n +\(env ECS_GITOPS_WEBHOOK_MIN_INTERVAL, default 5s\)/);
    assert.match(r.out, /With --webhook-listen they are served only on that address/);
    assert.match(r.out, /--http-max-connections <n> [^\n]*\n +\(env ECS_GITOPS_HTTP_MAX_CONNECTIONS, default 256\)/);
  });

  it('parses listen addresses', () => {
    assert.deepEqual(parseListen(':9090'), { host: '0.0.0.0', port: 9090 });
    assert.deepEqual(parseListen('[::1]:8080'), { host: '::1', port: 8080 });
    assert.throws(() => parseListen('host:70000'));
  });

  it('documents every option with its env var and default in the help text', () => {
    const help = controllerOptionsHelp();
    for (const spec of CONTROLLER_OPTIONS) {
      if (spec.env) assert.ok(help.includes(spec.env), `${spec.env} missing`);
      if (!spec.envOnly) assert.ok(help.includes(`--${spec.name}`), `--${spec.name} missing`);
      if (spec.default) assert.ok(help.includes(`default ${spec.default})`), `default of ${spec.name} missing`);
    }
  });
});

describe('--events-queue', () => {
  it('takes an SQS queue URL from the flag or ECS_GITOPS_EVENTS_QUEUE, and is absent by default', () => {
    const url = 'https://sqs.eu-west-1.amazonaws.com/123456789012/ecs-gitops-events';
    assert.equal(parseControllerConfig(['--source', 'examples', '--events-queue', url], {}).eventsQueue, url);
    assert.equal(parseControllerConfig(['--source', 'examples'], { ECS_GITOPS_EVENTS_QUEUE: url }).eventsQueue, url);
    assert.equal(parseControllerConfig(['--source', 'examples'], {}).eventsQueue, undefined);
    assert.match(controllerOptionsHelp(), /--events-queue <url>/);
  });

  it('refuses what is not a queue URL, naming the flag and variable', () => {
    for (const bad of ['ecs-gitops-events', 'ftp://host/1/q', 'https://sqs.eu-west-1.amazonaws.com/q', 'https://h/1/bad name']) {
      assert.throws(
        () => parseControllerConfig(['--source', 'examples', '--events-queue', bad], {}),
        (err: unknown) => err instanceof ConfigError && /--events-queue \/ ECS_GITOPS_EVENTS_QUEUE must be an SQS queue URL/.test(err.message),
        bad,
      );
    }
  });
});

describe('--checkpoint', () => {
  it('takes a file path or one S3 object, with the interval and maximum age', () => {
    const c = parseControllerConfig(['--source', 'examples', '--checkpoint', 's3://state-bucket/ecs-gitops/observation.gz', '--checkpoint-max-age', '30m'], {});
    assert.deepEqual(c.checkpoint, { location: 's3://state-bucket/ecs-gitops/observation.gz', intervalMs: 300_000, maxAgeMs: 1_800_000 });
    const f = parseControllerConfig(['--source', 'examples'], { ECS_GITOPS_CHECKPOINT: '/var/lib/ecs-gitops/observation.gz' });
    assert.equal(f.checkpoint?.location, '/var/lib/ecs-gitops/observation.gz');
    assert.equal(parseControllerConfig(['--source', 'examples'], {}).checkpoint, undefined);
  });

  it('refuses an S3 prefix or bucket instead of an object', () => {
    for (const bad of ['s3://state-bucket/', 's3://state-bucket/dir/', 's3://Bad_Bucket/key']) {
      assert.throws(
        () => parseControllerConfig(['--source', 'examples', '--checkpoint', bad], {}),
        (err: unknown) => err instanceof ConfigError && /--checkpoint \/ ECS_GITOPS_CHECKPOINT must be a file path or s3:\/\/<bucket>\/<key>/.test(err.message),
      );
    }
  });
});

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startSandbox, type SandboxHandle } from '../src/server.js';
import { cliJson, runAwsCli, type CliResult } from '../src/aws-cli.js';
import { FAST_SANDBOX } from '../src/testing.js';

/** The AWS CLI's JSON output, walked field by field as the CLI prints it. */
// biome-ignore lint/suspicious/noExplicitAny: deep CLI output is read by path; every value read is asserted
type CliJson = Record<string, any>;

describe('sandbox Cloud Map and Route 53 through the AWS CLI', () => {
  let sandbox: SandboxHandle;
  before(async () => {
    sandbox = await startSandbox(FAST_SANDBOX);
  });
  after(async () => {
    await sandbox.stop();
  });

  const aws = (...args: string[]): Promise<CliResult> => runAwsCli(sandbox.endpoint, args);
  const json = (r: CliResult): CliJson => cliJson<CliJson>(r);

  it('creates a private DNS namespace and a service, refuses deleting the namespace, and lists the hosted zone', async () => {
    const created = json(await aws('servicediscovery', 'create-private-dns-namespace', '--name', 'cli.internal', '--vpc', 'vpc-0cli0001'));
    const operationId = created['OperationId'] as string;
    assert.ok(operationId);

    let operation: CliJson = {};
    for (let i = 0; i < 20; i++) {
      operation = json(await aws('servicediscovery', 'get-operation', '--operation-id', operationId))['Operation'];
      if (operation['Status'] === 'SUCCESS' || operation['Status'] === 'FAIL') break;
    }
    assert.equal(operation['Status'], 'SUCCESS');
    const namespaceId = operation['Targets']['NAMESPACE'] as string;
    assert.match(namespaceId, /^ns-/);

    const service = json(
      await aws(
        'servicediscovery',
        'create-service',
        '--name',
        'web',
        '--namespace-id',
        namespaceId,
        '--dns-config',
        'RoutingPolicy=MULTIVALUE,DnsRecords=[{Type=A,TTL=60}]',
      ),
    )['Service'];
    assert.equal(service['Name'], 'web');
    assert.equal(service['NamespaceId'], namespaceId);

    const refused = await aws('servicediscovery', 'delete-namespace', '--id', namespaceId);
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /ResourceInUse/);

    const zones = json(await aws('route53', 'list-hosted-zones'))['HostedZones'] as CliJson[];
    const zone = zones.find((z) => z['Name'] === 'cli.internal.');
    assert.ok(zone, `zones: ${JSON.stringify(zones)}`);
    assert.equal(zone['Config']['PrivateZone'], true);
    assert.equal(zone['LinkedService']['ServicePrincipal'], 'servicediscovery.amazonaws.com');
  });
});

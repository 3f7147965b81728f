import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { loadManifests, type LoadResult } from '../../src/reconcile/load.js';
import { readManifestTree } from '../../src/manifests/read-tree.js';
import { validateAnyKind } from '../../src/manifests/schemas.js';
import type { DesiredOf, DesiredResource } from '../../src/manifests/types.js';
import { EXAMPLES_DIR } from '../../src/paths.js';
import { EXAMPLE_RESOURCES } from '../helpers/examples.js';

/** The manifest folders of examples/ (others, e.g. deploy/ or observability/, hold no manifests). */
const MANIFEST_FOLDERS = [
  'hello-name',
  'alb-and-internal-service',
  'spring-mysql',
  'weighted-a-records',
  'public-dns-health-check',
  'http-api-only',
  'service-connect',
];

async function load(folder = ''): Promise<LoadResult> {
  return loadManifests((await readManifestTree(join(EXAMPLES_DIR, folder))).files);
}

function find<K extends DesiredResource['kind']>(result: LoadResult, kind: K, key: string): DesiredOf<K> {
  const r = result.resources.find((x) => x.kind === kind && x.key === key);
  assert.ok(r, `${key} missing; have ${result.resources.map((x) => x.key).join(', ')}`);
  return r as DesiredOf<K>;
}

describe('examples/', () => {
  it('validates as a whole without any diagnostic', async () => {
    const result = await load();
    assert.deepEqual(result.diagnostics, []);
    assert.equal(result.resources.length, EXAMPLE_RESOURCES);
  });

  for (const folder of MANIFEST_FOLDERS) {
    it(`${folder}: validates on its own, has a README and a schema modeline in every manifest file`, async () => {
      const result = await load(folder);
      assert.deepEqual(result.diagnostics, []);
      assert.ok(result.resources.length >= 2);
      assert.ok(statSync(join(EXAMPLES_DIR, folder, 'README.md')).size > 200);
      for (const file of readdirSync(join(EXAMPLES_DIR, folder)).filter((f) => f.endsWith('.yaml'))) {
        const text = readFileSync(join(EXAMPLES_DIR, folder, file), 'utf8');
        if (!text.includes('ecs-gitops.io/')) continue;
        assert.match(text, /^# yaml-language-server: \$schema=\.\.\/\.\.\/crds\/[a-z-]+\.schema\.json\n/, file);
        for (const doc of parseAllDocuments(text)) {
          if (!Array.isArray(doc)) assert.ok(validateAnyKind(doc.toJS()), `${folder}/${file} fails crds/manifest.schema.json`);
        }
      }
    });
  }

  it('service-connect: sc-name publishes port http as name:3000 in HTTP namespace mesh; sc-hello is a client only', async () => {
    const result = await load('service-connect');
    assert.equal(find(result, 'CloudMapNamespace', 'CloudMapNamespace/mesh').manifest.spec.type, 'HTTP');
    const server = find(result, 'EcsService', 'EcsService/demo/sc-name').manifest.spec.serviceConnect;
    assert.deepEqual(
      [server?.namespace, server?.services?.map((s) => [s.portName, s.discoveryName, s.clientAliases?.[0]?.port])],
      ['mesh', [['http', 'name', 3000]]],
    );
    const client = find(result, 'EcsService', 'EcsService/demo/sc-hello').manifest.spec.serviceConnect;
    assert.deepEqual(client, { enabled: true, namespace: 'mesh' });
    assert.ok(!result.resources.some((r) => r.kind === 'CloudMapService'), 'ECS creates the Cloud Map service: no manifest for it');
  });

  it('ignores the unrelated docker-compose file', async () => {
    const result = await load('alb-and-internal-service');
    assert.equal(result.ignoredDocuments, 1);
    assert.ok(!result.resources.some((r) => r.source.file === 'docker-compose.yaml'));
  });

  it('hello-name: name is a MULTIVALUE A record on private namespace internal, port 3000; hello is behind a target group', async () => {
    const result = await load('hello-name');
    assert.equal(find(result, 'CloudMapNamespace', 'CloudMapNamespace/internal').manifest.spec.type, 'DNS_PRIVATE');
    const name = find(result, 'CloudMapService', 'CloudMapService/internal/name').manifest.spec;
    assert.deepEqual([name.dns?.routingPolicy, name.dns?.records.map((r) => r.type)], ['MULTIVALUE', ['A']]);
    const nameSvc = find(result, 'EcsService', 'EcsService/demo/name').manifest.spec;
    assert.deepEqual(nameSvc.discovery, { service: 'name', namespace: 'internal' });
    assert.equal(nameSvc.taskDefinition?.containers[0]?.portMappings?.[0]?.containerPort, 3000);
    const hello = find(result, 'EcsService', 'EcsService/demo/hello').manifest.spec;
    assert.equal(hello.loadBalancers?.[0]?.containerPort, 3000);
    assert.equal(hello.taskDefinition?.containers[0]?.environment?.['NAME_SERVER'], 'http://name.internal:3000/');
  });

  it('alb-and-internal-service: static-app, hostname-app with 2 tasks behind an ALB, random-quote on local:8080', async () => {
    const result = await load('alb-and-internal-service');
    find(result, 'EcsService', 'EcsService/demo/static-app');
    const hostname = find(result, 'EcsService', 'EcsService/demo/hostname-app').manifest.spec;
    assert.deepEqual([hostname.desiredCount, hostname.loadBalancers?.[0]?.containerPort], [2, 8080]);
    find(result, 'CloudMapService', 'CloudMapService/local/random-quote');
    const quote = find(result, 'EcsService', 'EcsService/demo/random-quote').manifest.spec;
    assert.equal(quote.taskDefinition?.containers[0]?.portMappings?.[0]?.containerPort, 8080);
    assert.equal(quote.discovery?.namespace, 'local');
  });

  it('spring-mysql: the app reaches mysql.app:3306', async () => {
    const result = await load('spring-mysql');
    find(result, 'CloudMapService', 'CloudMapService/app/mysql');
    const mysql = find(result, 'EcsService', 'EcsService/demo/mysql').manifest.spec;
    assert.equal(mysql.taskDefinition?.containers[0]?.portMappings?.[0]?.containerPort, 3306);
    const app = find(result, 'EcsService', 'EcsService/demo/spring-app').manifest.spec;
    assert.match(app.taskDefinition?.containers[0]?.environment?.['SPRING_DATASOURCE_URL'] ?? '', /mysql\.app:3306/);
  });

  it('weighted-a-records: WEIGHTED routing with A records and TTL 300', async () => {
    const svc = find(await load('weighted-a-records'), 'CloudMapService', 'CloudMapService/services.internal/backend').manifest.spec;
    assert.deepEqual([svc.dns?.routingPolicy, svc.dns?.records], ['WEIGHTED', [{ type: 'A', ttl: 300 }]]);
  });

  it('public-dns-health-check: a public namespace with a Route 53 health check', async () => {
    const result = await load('public-dns-health-check');
    assert.equal(find(result, 'CloudMapNamespace', 'CloudMapNamespace/demo-apps.example.com').manifest.spec.type, 'DNS_PUBLIC');
    const svc = find(result, 'CloudMapService', 'CloudMapService/demo-apps.example.com/www').manifest.spec;
    assert.equal(svc.healthCheck?.route53?.type, 'HTTP');
  });

  it('http-api-only: an HTTP namespace with an API-only service', async () => {
    const result = await load('http-api-only');
    assert.equal(find(result, 'CloudMapNamespace', 'CloudMapNamespace/orders-api').manifest.spec.type, 'HTTP');
    const svc = find(result, 'CloudMapService', 'CloudMapService/orders-api/orders').manifest.spec;
    assert.deepEqual([svc.type, svc.dns], ['HTTP', undefined]);
  });
});

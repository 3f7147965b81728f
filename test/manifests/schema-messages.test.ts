import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadManifests } from '../../src/reconcile/load.js';

const NAMESPACE =
  'apiVersion: ecs-gitops.io/v1alpha1\nkind: CloudMapNamespace\nmetadata:\n  name: internal\nspec:\n  type: DNS_PRIVATE\n  vpc: vpc-0123456789abcdef0\n';
const SERVICE =
  'apiVersion: ecs-gitops.io/v1alpha1\nkind: CloudMapService\nmetadata:\n  name: api\nspec:\n  namespace: internal\n  dns:\n    records: [{ type: A, ttl: 60 }]\n';
const ECS = `apiVersion: ecs-gitops.io/v1alpha1
kind: EcsService
metadata:
  name: web
spec:
  cluster: demo
  taskDefinitionRef: web:3
  launchType: FARGATE
  networkConfiguration:
    subnets: [subnet-0a1b2c3d4e5f60718]
`;

type Row = [string, number, number, string | undefined, string];

function rows(...contents: string[]): Row[] {
  const result = loadManifests(contents.map((content, i) => ({ path: `f${i}.yaml`, content })));
  return result.diagnostics.map((d) => [d.code, d.line, d.col, d.field, d.message]);
}

describe('schema messages a person can act on', () => {
  it('reports a misspelt required field once, as the unknown field with the fix, not also as missing', () => {
    assert.deepEqual(rows(NAMESPACE.replace('  type:', '  Type:')), [
      ['EGO_UNKNOWN_FIELD', 6, 3, 'spec.Type', 'unknown field "Type" (allowed: type, vpc, description, soaTtl, tags, syncPolicy); did you mean "type"?'],
    ]);
    assert.deepEqual(rows(NAMESPACE.replace('metadata:', 'metdata:')), [
      ['EGO_UNKNOWN_FIELD', 3, 1, 'metdata', 'unknown field "metdata" (allowed: apiVersion, kind, metadata, spec); did you mean "metadata"?'],
    ]);
  });

  it('still reports a required field as missing when nothing near it was written', () => {
    assert.deepEqual(rows(NAMESPACE.replace('  type: DNS_PRIVATE\n', '  colour: blue\n')), [
      ['EGO_REQUIRED_FIELD', 5, 1, 'spec.type', 'missing required field "type"'],
      ['EGO_UNKNOWN_FIELD', 6, 3, 'spec.colour', 'unknown field "colour" (allowed: type, vpc, description, soaTtl, tags, syncPolicy)'],
    ]);
  });

  it('suggests our name for a field named as in Kubernetes or Compose', () => {
    const task =
      'taskDefinition:\n    family: web\n    cpu: "256"\n    memory: "512"\n    containers:\n      - name: web\n        image: example/web:1\n        ports: [{ containerPort: 80 }]\n        env: { A: b }\n';
    assert.deepEqual(
      rows(ECS.replace('taskDefinitionRef: web:3\n', task).replace('  launchType', '  replica: 2\n  launchType')).map((r) => [
        r[3],
        r[4].replace(/ \(allowed: [^)]*\)/, ''),
      ]),
      [
        ['spec.taskDefinition.containers[0].ports', 'unknown field "ports"; did you mean "portMappings"?'],
        ['spec.taskDefinition.containers[0].env', 'unknown field "env"; did you mean "environment"?'],
        ['spec.replica', 'unknown field "replica"; did you mean "desiredCount"?'],
      ],
    );
  });

  it('suggests the allowed value a wrongly cased or misspelt one is closest to', () => {
    assert.deepEqual(rows(NAMESPACE.replace('DNS_PRIVATE', 'dns_private')), [
      ['EGO_ENUM', 6, 9, 'spec.type', 'must be one of HTTP, DNS_PRIVATE, DNS_PUBLIC (got "dns_private"); did you mean "DNS_PRIVATE"?'],
    ]);
    assert.deepEqual(rows(NAMESPACE.replace('DNS_PRIVATE', 'CUSTOM')), [
      ['EGO_ENUM', 6, 9, 'spec.type', 'must be one of HTTP, DNS_PRIVATE, DNS_PUBLIC (got "CUSTOM")'],
    ]);
  });

  it('says to remove the quotes from a number or boolean written as a string', () => {
    assert.deepEqual(rows(NAMESPACE, SERVICE.replace('ttl: 60', 'ttl: "60"')), [
      ['EGO_TYPE', 8, 31, 'spec.dns.records[0].ttl', 'must be a whole number (got "60"); remove the quotes: 60'],
    ]);
    assert.deepEqual(rows(ECS.replace('  launchType', '  desiredCount: "3"\n  enableExecuteCommand: "true"\n  launchType')), [
      ['EGO_TYPE', 8, 17, 'spec.desiredCount', 'must be a whole number (got "3"); remove the quotes: 3'],
      ['EGO_TYPE', 9, 25, 'spec.enableExecuteCommand', 'must be true or false (got "true"); remove the quotes: true'],
    ]);
  });

  it('explains that yes/no/on/off are text in YAML 1.2 where a boolean is expected', () => {
    assert.deepEqual(rows(ECS.replace('  launchType', '  enableExecuteCommand: yes\n  launchType')), [
      ['EGO_TYPE', 8, 25, 'spec.enableExecuteCommand', 'must be true or false (got "yes"); YAML 1.2 reads yes/no/on/off as text: write true'],
    ]);
  });

  it('shortens a very long value in a message instead of repeating it whole', () => {
    const long = 'x'.repeat(2000);
    const [row] = rows(ECS.replace('web:3', `"${long} 3"`));
    assert.equal(row?.[0], 'EGO_PATTERN');
    assert.ok((row?.[4].length ?? 0) < 200, row?.[4]);
    assert.match(row?.[4] ?? '', /\(got "x{40,}…" \(2002 characters\)\)$/);
  });

  it('reports a name that is too long once, as a length problem, not also as a pattern mismatch', () => {
    const name = 'a'.repeat(1030);
    assert.deepEqual(
      rows(NAMESPACE.replace('name: internal', `name: ${name}`).replace('DNS_PRIVATE\n  vpc: vpc-0123456789abcdef0', 'HTTP')).map((r) => [r[0], r[3], r[4]]),
      [['EGO_LENGTH', 'metadata.name', 'must have at most 1024 characters']],
    );
    assert.deepEqual(
      rows(ECS.replace('name: web', `name: ${'w'.repeat(256)}`)).map((r) => [r[0], r[3], r[4]]),
      [['EGO_LENGTH', 'metadata.name', 'must have at most 255 characters']],
    );
    assert.deepEqual(
      rows(ECS.replace('cluster: demo', `cluster: ${'c'.repeat(256)}`)).map((r) => [r[0], r[3], r[4]]),
      [['EGO_LENGTH', 'spec.cluster', 'must have at most 255 characters']],
    );
    assert.deepEqual(
      rows(NAMESPACE, SERVICE.replace('name: api', `name: ${'s'.repeat(60)}.${'s'.repeat(60)}.ssssss`)).map((r) => [r[0], r[3], r[4]]),
      [['EGO_LENGTH', 'metadata.name', 'must have at most 127 characters']],
    );
    assert.deepEqual(
      rows(ECS.replace('cluster: demo', 'cluster: ""')).map((r) => [r[0], r[3], r[4]]),
      [['EGO_LENGTH', 'spec.cluster', 'must have at least 1 character']],
    );
    assert.deepEqual(
      rows(ECS.replace('cluster: demo', `cluster: "${'c'.repeat(256)}/"`)).map((r) => [r[0], r[3]]),
      [
        ['EGO_LENGTH', 'spec.cluster'],
        ['EGO_PATTERN', 'spec.cluster'],
      ],
    );
  });
});

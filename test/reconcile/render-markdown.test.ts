import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Plan, ResourcePlan } from '../../src/kit/types.js';
import { computePlan } from '../../src/reconcile/plan.js';
import { GITHUB_COMMENT_LIMIT, renderPlanMarkdown } from '../../src/reconcile/render-markdown.js';
import { desiredCloudMapService, desiredEcsService, desiredNamespace, liveCloudMapService, liveEcsService, liveNamespace } from '../kinds/fixtures.js';
import { PLAN_OPTIONS, liveSet } from './helpers.js';

const A60 = { records: [{ type: 'A' as const, ttl: 60 }] };

function mixedPlan(): Plan {
  return computePlan(
    [
      desiredNamespace('internal', { type: 'DNS_PRIVATE', vpc: 'vpc-1' }),
      desiredNamespace('local', { type: 'HTTP' }),
      desiredCloudMapService('name', { namespace: 'internal', dns: { records: [{ type: 'A', ttl: 300 }] } }),
      desiredCloudMapService('quote', { namespace: 'internal', dns: { routingPolicy: 'WEIGHTED', records: A60.records } }),
      desiredEcsService('hello', { cluster: 'demo', desiredCount: 3, taskDefinitionRef: 'hello:2' }),
    ],
    liveSet(
      liveNamespace('local', { type: 'HTTP' }),
      liveCloudMapService('name', { namespace: 'internal', dns: A60 }),
      liveCloudMapService('quote', { namespace: 'internal', dns: A60 }),
      liveEcsService('hello', { cluster: 'demo', desiredCount: 2 }, { revision: 1 }),
      liveEcsService('old', { cluster: 'demo' }),
    ),
    PLAN_OPTIONS,
  );
}

function update(key: string, changes: ResourcePlan['changes'], extra: Partial<ResourcePlan> = {}): ResourcePlan {
  return { kind: 'EcsService', key, name: key.split('/').at(-1)!, action: 'update', changes, ...extra };
}

function change(path: string, from: unknown, to: unknown): ResourcePlan['changes'][number] {
  return { path, pointer: `/${path.replaceAll('.', '/')}`, from, to, effect: 'in-place' };
}

/** Every <details> is closed, and every fence opened is closed by the same fence. */
function assertWellFormed(md: string): void {
  assert.equal(md.match(/<details>/g)?.length ?? 0, md.match(/<\/details>/g)?.length ?? 0, 'details balanced');
  const fences = [...md.matchAll(/^(`{3,})(\w*)$/gm)];
  assert.equal(fences.length % 2, 0, 'fences balanced');
  for (let i = 0; i < fences.length; i += 2) assert.equal(fences[i]![1], fences[i + 1]![1]);
}

describe('plan as markdown for pull requests', () => {
  it('puts the summary first, then one collapsible diff per changed resource, none for unchanged ones', () => {
    const md = renderPlanMarkdown(mixedPlan());
    const [head] = md.split('<details>');
    assert.equal(
      head,
      [
        '### ecs-gitops plan',
        '',
        '**Plan: 1 to create, 2 to update, 0 to replace, 1 to delete, 1 blocked.**',
        '',
        '| create | update | replace | delete | blocked | unchanged |',
        '|---:|---:|---:|---:|---:|---:|',
        '| 1 | 2 | 0 | 1 | 1 | 1 |',
        '',
        '',
      ].join('\n'),
    );
    assert.equal(md.match(/<details>/g)?.length, 5);
    assert.doesNotMatch(md, /CloudMapNamespace\/local/);
    assert.ok(
      md.includes(
        '<summary><code>~ update</code> <b>CloudMapService/internal/name</b> · 1 field</summary>\n\n```diff\n- spec.dns.records[0].ttl: 60\n+ spec.dns.records[0].ttl: 300\n```\n\n</details>',
      ),
    );
    assert.match(md, /<code>! blocked<\/code> <b>CloudMapService\/internal\/quote<\/b> \(replace-not-allowed, would replace\)/);
    assert.match(md, /# reason: routing policy cannot change in place/);
    assert.match(md, /# redeploy\n/);
    assertWellFormed(md);
  });

  it('escapes HTML in keys and reasons, and no value can close its fence', () => {
    const plan: Plan = {
      hasChanges: true,
      hasDrift: true,
      resources: [
        update(
          'EcsService/c/<img src=x onerror=alert(1)>',
          [change('spec.containers[0].command', null, ['sh', '-c', 'echo ```\n</details><script>x</script>'])],
          {
            reason: 'line one\n</details> <b>bold</b>',
          },
        ),
      ],
    };
    const md = renderPlanMarkdown(plan);
    assert.ok(!md.includes('<img'), md);
    assert.match(md, /&lt;img src=x onerror=alert\(1\)&gt;/);
    // The value is JSON inside a four-backtick fence: ``` inside cannot end it.
    assert.match(md, /^````diff$/m);
    assert.equal(md.match(/<\/details>/g)?.length, 3, 'only the block closes details outside a fence');
    assert.match(md, /# reason: line one <\/details> <b>bold<\/b>\n/);
  });

  it(`stays within GitHub's ${GITHUB_COMMENT_LIMIT} characters, saying how many blocks were left out`, () => {
    const resources = Array.from({ length: 2_000 }, (_, i) =>
      update(`EcsService/prod/svc-${i}`, [change('spec.taskDefinition.containers[0].environment', 'x'.repeat(150), `y${i}`.repeat(40))]),
    );
    const md = renderPlanMarkdown({ hasChanges: true, hasDrift: true, resources });
    assert.ok(md.length <= GITHUB_COMMENT_LIMIT, `${md.length} characters`);
    const shown = md.match(/<details>/g)?.length ?? 0;
    assert.ok(shown > 50 && shown < 2_000, `${shown} shown`);
    assert.match(md, new RegExp(`> ${2_000 - shown} more blocks not shown: the comment would exceed GitHub's 65,536-character limit`));
    assert.match(md, /\*\*Plan: 0 to create, 2000 to update/);
    assertWellFormed(md);
  });

  it('cuts a single resource with too many changes inside its block', () => {
    const changes = Array.from({ length: 5_000 }, (_, i) => change(`spec.tags.t${i}`, `old-${i}`.repeat(3), `new-${i}`.repeat(3)));
    const md = renderPlanMarkdown({ hasChanges: true, hasDrift: true, resources: [update('EcsService/prod/big', changes)] }, { maxLength: 20_000 });
    assert.ok(md.length <= 20_000, `${md.length}`);
    const hidden = /# \.\.\. (\d+) more lines not shown/.exec(md);
    assert.ok(hidden, 'a note inside the block');
    const lines = md.split('\n').filter((l) => /^[-+] spec\.tags/.test(l)).length;
    assert.equal(lines + Number(hidden[1]), 10_000);
    assertWellFormed(md);
  });

  it('lists the task definition revisions apply would deregister', () => {
    const plan: Plan = {
      hasChanges: true,
      hasDrift: false,
      resources: [],
      tidy: [
        { owner: 'EcsService', key: 'TaskDefinition/shop:3', arn: 'arn:aws:ecs:eu-west-1:1:task-definition/shop:3', action: 'deregister', reason: 'unused' },
      ],
    };
    const md = renderPlanMarkdown(plan);
    assert.match(md, /Tidy: 1 unused task definition revision to deregister\./);
    assert.match(md, /<summary>Task definition revisions \(1\)<\/summary>\n\n```diff\n- deregister TaskDefinition\/shop:3  # unused\n```/);
  });
});

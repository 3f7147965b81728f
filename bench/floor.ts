/**
 * docs/aws-behaviour.md "The cheapest full drift scan", for N ECS services in one cluster and
 * S Cloud Map services in one private namespace, all owned and declared: ownership comes from
 * GetResources pages (100 owned resources each) on a cold scan and from the cache on a warm
 * one, no tag read per ARN.
 */
export function scanFloor(n: number, s: number, cold: boolean): Record<string, number> {
  return {
    'ecs:ListServices': Math.ceil(n / 100),
    'ecs:DescribeServices': Math.ceil(n / 10),
    'ecs:DescribeTaskDefinition': cold ? 1 : 0, // one task definition shared by all services
    'servicediscovery:ListNamespaces': 1,
    'servicediscovery:ListServices': Math.ceil(s / 100),
    'tagging:GetResources': cold ? Math.ceil((s + 1) / 100) : 0, // owned Cloud Map resources in pages, then cached
    'route53:GetHostedZone': cold ? 1 : 0, // VPC of the private namespace, then cached
  };
}

export function sumCalls(calls: Readonly<Record<string, number>>): number {
  return Object.values(calls).reduce((a, b) => a + b, 0);
}

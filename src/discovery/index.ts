export { createDiscoveryChecker, type DiscoveryChecker, type DiscoveryCheckerOptions, type DiscoveryLogger } from './checker.js';
export { compareNamespace, compareService, serviceRecordName, sortFindings, type NamespaceObservation } from './compare.js';
export { findingCounts, healthCondition, publishDiscoveryReport } from './publish.js';
export { remediationCandidates, serviceTtlSeconds, type RemediationOptions } from './remediation.js';
export { discoveryJson, renderDiscoverySection, type DiscoveryJson } from './render.js';
export { createDiscoveryTask, type DiscoveryTaskContext, type DiscoveryTaskOptions } from './task.js';
export { discoveryTargets, targetNamespaces } from './targets.js';
export * from './types.js';

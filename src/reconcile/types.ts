/** The shared resource model now lives in the kinds' toolkit (src/kit/types.ts); kept for its importers in src/discovery. */
export type { LiveCloudMapService, LiveEcsService, LiveNamespace, LiveResource, LiveSet, LiveTaskDefinition } from '../kit/types.js';

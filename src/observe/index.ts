/** Observe: batched AWS reads into the live set. */
export { observe, ownersOf, revisionFamiliesOf, scopeFromDesired, type ObserveOptions, type ObserveScope, type OwnersOption } from './observe.js';
export { ObserveCaches, createObserveCaches } from './caches.js';
export { scanRevisionFamily } from './revision-scan.js';

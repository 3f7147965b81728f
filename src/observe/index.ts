/** Observe: batched AWS reads into the live set. */
export { observe, revisionFamiliesOf, scopeFromDesired, type ObserveOptions, type ObserveScope } from './observe.js';
export { ObserveCaches, createObserveCaches } from './caches.js';
export { familyOf, scanRevisionFamily } from './revision-scan.js';

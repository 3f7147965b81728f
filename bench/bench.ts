// `npm run bench`: with --pairs, the controller benchmark of issue 13 (bench/pairs.ts);
// otherwise the observe scan benchmark (bench/scan.ts). Both read their flags from argv.
if (process.argv.slice(2).some((a) => a === '--pairs' || a.startsWith('--pairs='))) await import('./pairs.js');
else await import('./scan.js');

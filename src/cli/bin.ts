#!/usr/bin/env node
import { main } from './main.js';

// The AWS SDK warns on every CLI run under Node 20 that its releases after January 2027 need
// Node 22. ecs-gitops pins its SDK versions in package-lock.json and its image runs the
// current LTS, so the notice is noise here; a user can still turn it on by setting the
// SDK's own variable to "false".
process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`fatal: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  },
);

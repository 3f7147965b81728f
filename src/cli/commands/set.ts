import { readOptionsAndPositionals } from '../../config/options.js';
import { UsageError, type Command } from '../command.js';

const HELP = `Usage: ecs-gitops set image <dir|file> <image>=<tag>
       ecs-gitops set image <dir|file> <image>@<digest>
       ecs-gitops set image <dir|file> <image>=<new-name>:<tag>

Edits the Overlay in <dir> (or the Overlay file given) in place: the spec.images entry
named <image> gets the new tag (or digest, or name and tag); an entry is added when there is
none. Comments, order and formatting stay as they are, so a build pipeline or an image
update bot commits a one-line change (docs/environments.md).

Exit status: 0 when the file was written (or already said so), 1 otherwise.
`;

export const setCommand: Command = {
  name: 'set',
  summary: 'Edit an Overlay in place for CI: set image <dir> <image>=<tag>',
  help: HELP,
  async run(argv, io) {
    const { positionals } = readOptionsAndPositionals([], argv, io.env);
    const [what, target, change, ...rest] = positionals;
    if (what !== 'image' || target === undefined || change === undefined || rest.length > 0)
      throw new UsageError('usage: ecs-gitops set image <dir|file> <image>=<tag>');
    const { parseImageChange, setOverlayImage } = await import('../../manifests/overlay/set-image.js');
    const parsed = parseImageChange(change);
    if (typeof parsed === 'string') throw new UsageError(parsed);
    const result = await setOverlayImage(target, parsed);
    if ('error' in result) {
      io.stderr(`error: ${result.error}\n`);
      return 1;
    }
    io.stdout(result.changed ? `${result.file}: ${parsed.name} set to ${result.image}\n` : `${result.file}: ${parsed.name} is already ${result.image}\n`);
    return 0;
  },
};

// `nixgen new <kind> <attr.path>`: write a descriptor skeleton (generator/new.ts) and say what next.

import { newDescriptor, NewDescriptorError, type NewBuild } from "../new.ts";
import { EXIT } from "./exit.ts";
import { colorsFor, err, out } from "./output.ts";
import { projectRoot } from "./root.ts";

export function runNew(
  kind: string,
  attr: string,
  flags: { root?: string; build: NewBuild },
): number {
  const root = projectRoot(flags.root);
  try {
    const path = newDescriptor(root, kind, attr, flags.build);
    out(`wrote ${path}`);
    out("fill in each <fill in: ...> placeholder, then run nixgen check: it names the ones left");
    return EXIT.ok;
  } catch (error) {
    if (!(error instanceof NewDescriptorError)) throw error;
    err(`${colorsFor(process.stderr).red("error")}: ${error.message}`);
    return EXIT.usage;
  }
}

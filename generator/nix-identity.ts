// Which nix-instantiate a run would start: its real path, size and modification time. What Nix
// made of a file is kept by this identity, so another Nix (an upgrade, another PATH) is asked again.

import { realpathSync, statSync } from "node:fs";
import { delimiter, join } from "node:path";

export function nixIdentity(): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (dir === "") continue;
    try {
      const path = realpathSync(join(dir, "nix-instantiate"));
      const stats = statSync(path);
      if (stats.isFile()) return `${path}\0${stats.size}\0${stats.mtimeMs}`;
    } catch {
      // not in this folder
    }
  }
  return undefined;
}

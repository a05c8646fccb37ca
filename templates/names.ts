// Names of the `let` bindings of one generated file. They are derived from names a user chose
// (`locksmith-worker` + `config.yaml` -> `locksmithWorkerConfigYaml`), so two of them may come out
// alike, or alike to a package the file takes as an argument (a service `cw` with a file `lib`
// would shadow `cwLib`). Each name is taken once; a taken one gets a number.

import { isIdentifier } from "../generator/nix/index.ts";
import type { PackageRef } from "../generator/model.ts";

export class LetNames {
  private readonly taken: Set<string>;

  /** `reserved`: every name the file's expressions may use from outside the `let`. */
  constructor(reserved: Iterable<string>) {
    this.taken = new Set(reserved);
  }

  /** `base`, or `base2`, `base3`... the first not taken yet. */
  fresh(base: string): string {
    let name = base;
    for (let n = 2; this.taken.has(name) || !isIdentifier(name); n++) name = `${base}${n}`;
    this.taken.add(name);
    return name;
  }
}

/** The first names of every package reference anywhere in a model value (its possible arguments). */
export function referenceHeads(value: unknown): Set<string> {
  const heads = new Set<string>();
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (v === null || typeof v !== "object") continue;
    const ref = (v as Partial<PackageRef>).ref;
    if (Array.isArray(ref) && typeof ref[0] === "string") heads.add(ref[0]);
    stack.push(...(Array.isArray(v) ? v : Object.values(v)));
  }
  return heads;
}

// Resolution of the pins: the nixpkgs and nixpkgs-contrail revisions.

import type { Pins } from "../model.ts";
import type { ValidDescriptor } from "../validate.ts";
import type { Data } from "../data.ts";
import { Reader } from "./reader.ts";
import { toGitHub } from "./sources.ts";

export function toPins(v: ValidDescriptor): Pins {
  const data = v.value as Data;
  const gh = (key: string) =>
    toGitHub(
      new Reader(
        { v, known: new Set(), diagnostics: [], refs: [], imageFiles: new Set() },
        data[key] as Data,
        [key],
      ),
    );
  return { source: v.parsed.file.path, nixpkgs: gh("nixpkgs"), contrail: gh("contrail") };
}

// Resolution of the pins: the nixpkgs and nixpkgs-contrail revisions.

import type { Pins } from "../model.ts";
import type { ValidDescriptor } from "../validate.ts";
import type { Data } from "../data.ts";
import { Reader } from "./reader.ts";
import { toGitHub } from "./sources.ts";

export function toPins(v: ValidDescriptor): Pins {
  const ctx = {
    v,
    known: new Set<string>(),
    diagnostics: [],
    refs: [],
    imageFiles: new Set<string>(),
  };
  const r = new Reader(ctx, v.value as Data, []);
  const gh = (key: string) => toGitHub(r.child(key));
  return { source: v.parsed.file.path, nixpkgs: gh("nixpkgs"), contrail: gh("contrail") };
}

// Once before the suite: the CLI tests run bin/nixgen.mjs, which runs the bundle of the generator
// when it is up to date, and every run loads the precompiled schema validators when they match
// the schemas; rebuild both if a source changed since, so that the tests run the sources as they
// are at full speed (without the build they would still be right, only slower).

import { spawnSync } from "node:child_process";
import { bundleIsFresh } from "../bin/bundle.mjs";
import { precompiledIsFresh } from "../generator/validators.ts";

export default function setup(): void {
  if (bundleIsFresh() && precompiledIsFresh()) return;
  const built = spawnSync("npm", ["run", "--silent", "build"], { stdio: "inherit" });
  if (built.status !== 0) throw new Error("npm run build failed");
}

// Once before the suite: the CLI tests run bin/nixgen.mjs, which runs the bundle of the generator
// when it is up to date, and every run loads the precompiled schema validators (and, in the
// bundle, the prerendered reference) when they match the schemas; rebuild them if a source
// changed since, so that the tests run the sources as they are at full speed (without the build
// they would still be right, only slower).

import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { bundleIsFresh } from "../bin/bundle.mjs";
import { precompiledIsFresh } from "../generator/validators.ts";

export default function setup(): void {
  const prerendered = existsSync(new URL("../dist/descriptors.json", import.meta.url));
  if (bundleIsFresh() && precompiledIsFresh() && prerendered) return;
  const built = spawnSync("npm", ["run", "--silent", "build"], { stdio: "inherit" });
  if (built.status !== 0) throw new Error("npm run build failed");
}

#!/usr/bin/env node
// nixgen, the command line of the package set (`npx nixgen`, and the npm scripts). It runs the
// bundle `npm run build` makes (dist/nixgen.mjs, built by `npm ci`) when the bundle is newer than
// every source of the generator; otherwise, while the sources are being edited, it runs them as
// they are through tsx, a few hundred milliseconds slower to start.
import { BUNDLE, bundleIsFresh } from "./bundle.mjs";

if (bundleIsFresh()) {
  await import(BUNDLE);
} else {
  const { register } = await import("tsx/esm/api");
  register();
  await import("../generator/cli.ts");
}

#!/usr/bin/env node
// nixgen, the command line of the package set (`npx nixgen`, and the npm scripts). The generator
// is TypeScript; tsx's loader runs it as it is.
import { register } from "tsx/esm/api";

register();
await import("../generator/cli.ts");

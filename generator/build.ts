// `npm run build`, step one: the schema validators as code (generator/validators.ts), so that a
// run loads them instead of compiling them. The bundle of the CLI is step two (esbuild).

import { mkdirSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { validatorsCode } from "./validators.ts";

const dist = fileURLToPath(new URL("../dist/", import.meta.url));
mkdirSync(dist, { recursive: true });
writeFileSync(`${dist}validators.cjs`, validatorsCode());

// The validators of the descriptor schemas. Compiling them with ajv takes about a third of a
// second, most of a small run; so `npm run build` writes them as code (dist/validators.cjs, ajv's
// standalone output) with a digest of the schemas they were made from. A process loads that code
// when the digest matches the schemas as they are now, and compiles them itself otherwise.

import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import type { Ajv2020, ValidateFunction } from "ajv/dist/2020.js";
import type standalone from "ajv/dist/standalone/index.js";
import type { FragmentTarget } from "./expand.ts";
import { KINDS, KIND_SCHEMAS, type Kind } from "./kinds.ts";

export const SCHEMAS_DIR = fileURLToPath(new URL("../schemas/", import.meta.url));
const SCHEMA_BASE = "https://nixpkgs-cloudwatt.invalid/schemas/";
const PRECOMPILED = fileURLToPath(new URL("../dist/validators.cjs", import.meta.url));

type JsonSchema = Record<string, unknown>;

/** Where the schema of each fragment target is, in its partial (all optional) form. */
const TARGET_SCHEMAS: Record<FragmentTarget, string> = {
  application: "application.schema.json",
  tool: "tool.schema.json",
  dockerImage: "docker-image.schema.json",
  debianPackage: "debian-package.schema.json",
  service: "docker-image.schema.json#/$defs/service",
  configFile: "docker-image.schema.json#/$defs/configFile",
  iniSection: "docker-image.schema.json#/$defs/iniSection",
  fluentd: "docker-image.schema.json#/$defs/fluentd",
};
const TARGETS = Object.keys(TARGET_SCHEMAS) as FragmentTarget[];

/** The text of every schema file, by file name. */
function schemaTexts(): Map<string, string> {
  return new Map(
    readdirSync(SCHEMAS_DIR)
      .filter((f) => f.endsWith(".schema.json"))
      .sort()
      .map((f) => [f, readFileSync(`${SCHEMAS_DIR}${f}`, "utf8")]),
  );
}

/** A digest of the schema files as they are now. */
export function schemasDigest(): string {
  const hash = createHash("sha256");
  for (const [file, text] of schemaTexts()) hash.update(`${file}\0${text}\0`);
  return hash.digest("hex");
}

/** The schema files, parsed, by file name. */
export function loadSchemas(): Map<string, JsonSchema> {
  return new Map([...schemaTexts()].map(([f, text]) => [f, JSON.parse(text) as JsonSchema]));
}

/** A copy of a schema in which nothing is required, for fragments. */
function partial(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(partial);
  if (schema === null || typeof schema !== "object") return schema;
  const copy: JsonSchema = {};
  for (const [k, v] of Object.entries(schema)) {
    if (k === "required" && Array.isArray(v)) continue;
    copy[k] = partial(v);
  }
  return copy;
}

/** What the code was made from: the schemas, the options below and ajv's version. */
function digest(texts: ReadonlyMap<string, string>): string {
  const hash = createHash("sha256").update(`ajv ${AJV_VERSION} options ${JSON.stringify(OPTIONS)}`);
  for (const [file, text] of texts) hash.update(`\0${file}\0${text}`);
  return hash.digest("hex");
}

const OPTIONS = { strict: true, allowUnionTypes: true, allErrors: true, verbose: true } as const;
// ajv is required only to compile (a run with up-to-date precompiled validators never loads it).
const require = createRequire(import.meta.url);
const AJV_VERSION = (require("ajv/package.json") as { version: string }).version;

const kindName = (kind: Kind) => `kind_${kind}`;
const targetName = (target: FragmentTarget) => `target_${target}`;

/** Every schema and its partial copy, with a key for each fragment target. */
function ajvWith(texts: ReadonlyMap<string, string>, code: boolean): Ajv2020 {
  const { Ajv2020 } = require("ajv/dist/2020.js") as typeof import("ajv/dist/2020.js");
  const ajv = new Ajv2020({ ...OPTIONS, ...(code ? { code: { source: true } } : {}) });
  for (const [file, text] of texts) {
    const schema = JSON.parse(text) as JsonSchema;
    ajv.addSchema(schema, file);
    const loose = partial(schema) as JsonSchema;
    ajv.addSchema({ ...loose, $id: `${SCHEMA_BASE}partial/${file}` }, `partial/${file}`);
  }
  for (const t of TARGETS) {
    ajv.addSchema({ $ref: `${SCHEMA_BASE}partial/${TARGET_SCHEMAS[t]}` }, targetName(t));
  }
  return ajv;
}

export interface Validators {
  readonly kinds: ReadonlyMap<Kind, ValidateFunction>;
  readonly targets: ReadonlyMap<FragmentTarget, ValidateFunction>;
}

/** The code `npm run build` writes to dist/validators.cjs. */
export function validatorsCode(): string {
  const texts = schemaTexts();
  const ajv = ajvWith(texts, true);
  const exports = Object.fromEntries([
    ...KINDS.map((kind) => [kindName(kind), KIND_SCHEMAS[kind]] as const),
    ...TARGETS.map((t) => [targetName(t), targetName(t)] as const),
  ]);
  // The module is CommonJS: its default export is the function itself.
  const standaloneCode = require("ajv/dist/standalone/index.js") as typeof standalone.default;
  return `${standaloneCode(ajv, exports)}\nexports.digest = ${JSON.stringify(digest(texts))};\n`;
}

type Precompiled = Record<string, ValidateFunction> & { digest?: string };

/** The validators from dist/validators.cjs when made from these schemas, else undefined. */
function precompiled(texts: ReadonlyMap<string, string>): Precompiled | undefined {
  try {
    const code = require(PRECOMPILED) as Precompiled;
    return code.digest === digest(texts) ? code : undefined;
  } catch {
    return undefined; // not built yet
  }
}

/** Whether dist/validators.cjs was made from the schemas as they are now. */
export const precompiledIsFresh = (): boolean => precompiled(schemaTexts()) !== undefined;

let validators: Validators | undefined;

/** The validators, once per process: precompiled when up to date, compiled here otherwise. */
export function compiledValidators(): Validators {
  if (validators !== undefined) return validators;
  const texts = schemaTexts();
  const code = precompiled(texts);
  const ajv = code === undefined ? ajvWith(texts, false) : undefined;
  const get = (name: string, key: string) => code?.[name] ?? ajv!.getSchema(key)!;
  validators = {
    kinds: new Map(KINDS.map((kind) => [kind, get(kindName(kind), KIND_SCHEMAS[kind])])),
    targets: new Map(TARGETS.map((t) => [t, get(targetName(t), targetName(t))])),
  };
  return validators;
}

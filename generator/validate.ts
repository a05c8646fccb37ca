// Stage 3, validate: check each descriptor against the JSON Schema of its kind (ajv, strict mode)
// and turn schema errors into positioned diagnostics with a "did you mean".

import { readFileSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import { didYouMean, type Diagnostic } from "./diagnostics.ts";
import { fieldName, positionOf, type FieldPath, type ParsedDescriptor } from "./parse.ts";

export const SCHEMAS_DIR = fileURLToPath(new URL("../schemas/", import.meta.url));

/** Descriptor kinds and the schema file of each. */
export const KIND_SCHEMAS = {
  application: "application.schema.json",
  pulledImage: "pulled-image.schema.json",
  dockerImage: "docker-image.schema.json",
} as const;
export type Kind = keyof typeof KIND_SCHEMAS;
const KINDS = Object.keys(KIND_SCHEMAS) as Kind[];

export interface ValidDescriptor {
  readonly parsed: ParsedDescriptor;
  readonly kind: Kind;
}

type JsonSchema = Record<string, unknown>;

/** Compiles the schemas once per process. */
let validators: Map<Kind, ValidateFunction> | undefined;
function compiled(): Map<Kind, ValidateFunction> {
  if (validators !== undefined) return validators;
  const ajv = new Ajv2020({ strict: true, allErrors: true, verbose: true });
  for (const file of readdirSync(SCHEMAS_DIR)
    .filter((f) => f.endsWith(".schema.json"))
    .sort()) {
    ajv.addSchema(JSON.parse(readFileSync(`${SCHEMAS_DIR}${file}`, "utf8")) as JsonSchema, file);
  }
  validators = new Map(KINDS.map((kind) => [kind, ajv.getSchema(KIND_SCHEMAS[kind])!]));
  return validators;
}

export function validate(parsed: ParsedDescriptor): {
  valid?: ValidDescriptor;
  diagnostics: Diagnostic[];
} {
  const value = parsed.value;
  const error = (
    path: FieldPath,
    which: "key" | "value",
    code: string,
    message: string,
    hint?: string,
  ): Diagnostic => ({
    severity: "error",
    code,
    file: parsed.file.path,
    ...positionOf(parsed, path, which),
    field: fieldName(path),
    message,
    ...(hint === undefined ? {} : { hint }),
  });
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    return {
      diagnostics: [
        error(
          [],
          "value",
          "schema/type",
          `expected a mapping with a kind, found ${typeName(value)}`,
        ),
      ],
    };
  }
  const kind = (value as Record<string, unknown>).kind;
  if (typeof kind !== "string" || !(KINDS as string[]).includes(kind)) {
    const found = kind === undefined ? "no kind" : JSON.stringify(kind);
    const suggestion = typeof kind === "string" ? didYouMean(kind, KINDS) : undefined;
    return {
      diagnostics: [
        error(
          kind === undefined ? [] : ["kind"],
          "value",
          "schema/unknown-kind",
          `expected kind to be one of ${KINDS.join(", ")}, found ${found}`,
          suggestion === undefined ? undefined : `did you mean "${suggestion}"?`,
        ),
      ],
    };
  }
  const validator = compiled().get(kind as Kind)!;
  if (validator(value)) return { valid: { parsed, kind: kind as Kind }, diagnostics: [] };
  // A value of the wrong type fails its other keywords too; report only the type.
  const errors = validator.errors ?? [];
  const mistyped = new Set(errors.filter((e) => e.keyword === "type").map((e) => e.instancePath));
  const diagnostics = errors
    .filter((e) => e.keyword === "type" || !mistyped.has(e.instancePath))
    .map((e) => schemaDiagnostic(e, value, error));
  return { diagnostics };
}

type MakeError = (
  path: FieldPath,
  which: "key" | "value",
  code: string,
  message: string,
  hint?: string,
) => Diagnostic;

function schemaDiagnostic(e: ErrorObject, root: unknown, error: MakeError): Diagnostic {
  const path = pointerToPath(e.instancePath, root);
  const found = valueAt(root, path);
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case "additionalProperties": {
      const key = String(params.additionalProperty);
      const allowed = Object.keys((e.parentSchema?.properties as JsonSchema | undefined) ?? {});
      const suggestion = didYouMean(key, allowed);
      return error(
        [...path, key],
        "key",
        "schema/unknown-key",
        `unknown key ${JSON.stringify(key)}; expected one of ${allowed.join(", ")}`,
        suggestion === undefined ? undefined : `did you mean "${suggestion}"?`,
      );
    }
    case "required":
      return error(
        path,
        path.length === 0 ? "value" : "key",
        "schema/missing-key",
        `missing required key ${JSON.stringify(params.missingProperty)}`,
      );
    case "type":
      return error(
        path,
        "value",
        "schema/type",
        `expected ${String(params.type)}, found ${typeName(found)}`,
      );
    case "enum": {
      const allowed = (params.allowedValues as unknown[]).map((v) => String(v));
      const suggestion = typeof found === "string" ? didYouMean(found, allowed) : undefined;
      return error(
        path,
        "value",
        "schema/enum",
        `expected one of ${allowed.join(", ")}, found ${JSON.stringify(found)}`,
        suggestion === undefined ? undefined : `did you mean "${suggestion}"?`,
      );
    }
    case "const":
      return error(
        path,
        "value",
        "schema/const",
        `expected ${JSON.stringify(params.allowedValue)}, found ${JSON.stringify(found)}`,
      );
    case "pattern": {
      const what = (e.parentSchema?.title as string | undefined) ?? "value";
      const example = (e.parentSchema?.examples as unknown[] | undefined)?.[0];
      const hint = example === undefined ? undefined : `for example ${JSON.stringify(example)}`;
      return error(
        path,
        "value",
        "schema/pattern",
        `expected a valid ${what.toLowerCase()} (pattern ${String(params.pattern)}), found ${JSON.stringify(found)}`,
        hint,
      );
    }
    default:
      return error(
        path,
        "value",
        `schema/${e.keyword}`,
        `expected a value that ${e.message ?? "matches the schema"}, found ${JSON.stringify(found)}`,
      );
  }
}

function pointerToPath(pointer: string, root: unknown): FieldPath {
  if (pointer === "") return [];
  const path: (string | number)[] = [];
  let node = root;
  for (const raw of pointer.slice(1).split("/")) {
    const segment = raw.replaceAll("~1", "/").replaceAll("~0", "~");
    const step = Array.isArray(node) ? Number(segment) : segment;
    path.push(step);
    node = (node as Record<string | number, unknown> | undefined)?.[step];
  }
  return path;
}

function valueAt(root: unknown, path: FieldPath): unknown {
  return path.reduce<unknown>(
    (node, s) => (node as Record<string | number, unknown> | undefined)?.[s],
    root,
  );
}

function typeName(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  if (typeof value === "string") return `the string ${JSON.stringify(value)}`;
  return `${typeof value} ${String(value)}`;
}

// Stage 4, validate: check each expanded descriptor against the JSON Schema of its kind (ajv,
// strict mode), and each fragment's value against its target with every field optional. Schema
// errors become positioned diagnostics with a "did you mean".

import type { ErrorObject, ValidateFunction } from "ajv/dist/2020.js";
import { didYouMean, type Diagnostic } from "./diagnostics.ts";
import { compiledValidators } from "./validators.ts";
import type { Expanded, FragmentTarget } from "./expand.ts";
import { kindAt, KINDS, KIND_SCHEMAS, withArticle, type Kind } from "./kinds.ts";
import type { ParsedDescriptor } from "./parse.ts";
import { placeholdersIn } from "./placeholders.ts";
import { diagnosticAt, sourceOf, type FieldPath } from "./positions.ts";

export interface ValidDescriptor extends Expanded {
  readonly kind: Kind;
  /**
   * Where the data breaks its schema (empty when it is valid). A descriptor with a known kind is
   * resolved even so, to report its other problems in the same run; these paths, and what lies
   * above and below them, are left to the schema's diagnostics.
   */
  readonly invalidAt: readonly FieldPath[];
}

type JsonSchema = Record<string, unknown>;

interface MakeError {
  (
    path: FieldPath,
    which: "key" | "value",
    code: string,
    message: string,
    hint?: string,
  ): Diagnostic;
  /** The text a value is written as, for hints that quote it. */
  source(path: FieldPath): string;
}

/** Diagnostics at the place each part of `e` was written (its own file or a fragment). */
function errorMaker(e: Expanded): MakeError {
  const make = (
    path: FieldPath,
    which: "key" | "value",
    code: string,
    message: string,
    hint?: string,
  ) => diagnosticAt(e.locate(path), code, message, hint, which);
  return Object.assign(make, { source: (path: FieldPath) => sourceOf(e.locate(path)) });
}

export function validate(e: Expanded): { valid?: ValidDescriptor; diagnostics: Diagnostic[] } {
  const error = errorMaker(e);
  const value = e.value;
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    const found = typeName(value);
    return {
      diagnostics: [
        error([], "value", "schema/type", `expected a mapping with a kind, found ${found}`),
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
          suggestion === undefined
            ? `add "kind: ${kindAt(e.parsed.file.attrPath)}", the kind of a descriptor at ${e.parsed.file.path}`
            : `did you mean "${suggestion}"?`,
        ),
      ],
    };
  }
  // A placeholder left by `nixgen new` is reported as such, not by its field's schema.
  const placeholders = placeholdersIn(value);
  const invalidAt: FieldPath[] = placeholders.map((p) => p.path);
  const atPlaceholder = new Set(placeholders.map((p) => pathToPointer(p.path)));
  const diagnostics = [
    ...placeholders.map((p) =>
      error(p.path, "value", "schema/placeholder", `replace the placeholder with ${p.what}`),
    ),
    ...check(compiledValidators().kinds.get(kind as Kind)!, value, [], error, invalidAt, (x) =>
      atPlaceholder.has(x.instancePath),
    ),
  ];
  return { valid: { ...e, kind: kind as Kind, invalidAt }, diagnostics };
}

/** Check a fragment's (expanded) `value` against its target, every field optional. */
export function validateFragmentValue(e: Expanded, target: FragmentTarget): Diagnostic[] {
  const fragmentValue = (e.value as Record<string, unknown>).value;
  // A field holding a parameter is checked where the fragment is used, with the argument in place.
  const holdsParameter = (x: ErrorObject) => {
    const found = valueAt(fragmentValue, pointerToPath(x.instancePath, fragmentValue));
    return typeof found === "string" && /\$\{\{\s*args\./.test(found);
  };
  const validator = compiledValidators().targets.get(target)!;
  return check(validator, fragmentValue, ["value"], errorMaker(e), [], holdsParameter);
}

/** Schema diagnostics of `value`; the data path of each error is added to `invalidAt`. */
function check(
  validator: ValidateFunction,
  value: unknown,
  prefix: FieldPath,
  error: MakeError,
  invalidAt: FieldPath[] = [],
  ignore: (e: ErrorObject) => boolean = () => false,
): Diagnostic[] {
  if (validator(value)) return [];
  // A value of the wrong type fails its other keywords too; report only the type.
  const errors = validator.errors ?? [];
  const mistyped = new Set(errors.filter((x) => x.keyword === "type").map((x) => x.instancePath));
  const reported = errors
    .filter((x) => x.keyword === "type" || !mistyped.has(x.instancePath))
    .filter((x) => x.keyword !== "propertyNames") // its inner error names the key
    .filter((x) => !ignore(x));
  for (const x of reported) invalidAt.push(pointerToPath(x.instancePath, value));
  return reported.map((x) => schemaDiagnostic(x, value, prefix, error));
}

function schemaDiagnostic(
  e: ErrorObject,
  root: unknown,
  prefix: FieldPath,
  error: MakeError,
): Diagnostic {
  const path = pointerToPath(e.instancePath, root);
  const at = (p: FieldPath) => [...prefix, ...p];
  const found = valueAt(root, path);
  const params = e.params as Record<string, unknown>;
  const schema = (e.parentSchema ?? {}) as JsonSchema;
  if (e.propertyName !== undefined) {
    return error(
      at([...path, e.propertyName]),
      "key",
      "schema/key-pattern",
      `expected a key matching ${String(params.pattern)}, found ${JSON.stringify(e.propertyName)}`,
      typeof schema.title === "string" ? `keys here are ${schema.title.toLowerCase()}s` : undefined,
    );
  }
  switch (e.keyword) {
    case "additionalProperties": {
      const key = String(params.additionalProperty);
      const allowed = Object.keys((schema.properties as JsonSchema | undefined) ?? {});
      const suggestion = didYouMean(key, allowed);
      const hint =
        key === "<<"
          ? "merge keys are not part of YAML 1.2, the language of descriptors: use extends with a fragment"
          : suggestion === undefined
            ? undefined
            : `did you mean "${suggestion}"?`;
      return error(
        at([...path, key]),
        "key",
        "schema/unknown-key",
        `unknown key ${JSON.stringify(key)}; expected one of ${allowed.join(", ")}`,
        hint,
      );
    }
    case "dependentRequired":
      return error(
        at(path),
        "key",
        "schema/missing-key",
        `missing key ${JSON.stringify(params.missingProperty)}, which goes with ${JSON.stringify(params.property)}${inWhat(schema)}`,
      );
    case "required":
      return error(
        at(path),
        path.length + prefix.length === 0 ? "value" : "key",
        "schema/missing-key",
        `missing required key ${JSON.stringify(params.missingProperty)}${inWhat(schema)}`,
      );
    case "minProperties":
    case "maxProperties": {
      if (schema.maxProperties !== 1) {
        const what = describe(schema).toLowerCase();
        return error(
          at(path),
          "value",
          "schema/empty",
          `expected ${what} with at least ${String(schema.minProperties)} key(s), found none`,
          exampleHint(schema),
        );
      }
      const choices = Object.keys((schema.properties as JsonSchema | undefined) ?? {});
      const present = Object.keys((found as JsonSchema | undefined) ?? {});
      return error(
        at(path),
        "value",
        "schema/one-of",
        `expected exactly one of ${choices.join(", ")}, found ${present.length === 0 ? "none" : present.join(" and ")}`,
      );
    }
    case "type": {
      // YAML reads 1.50 as the number 1.5 and yes... as text: a quoted value keeps what is written.
      const scalar = typeof found === "number" || typeof found === "boolean" || found === null;
      const quote = String(params.type).includes("string") && scalar;
      return error(
        at(path),
        "value",
        "schema/type",
        `expected ${String(params.type).split(",").join(" or ")}, found ${typeName(found)}`,
        quote ? `quote it: ${JSON.stringify(error.source(at(path)).trim())}` : undefined,
      );
    }
    case "enum": {
      const allowed = (params.allowedValues as unknown[]).map((v) => String(v));
      const suggestion = typeof found === "string" ? didYouMean(found, allowed) : undefined;
      return error(
        at(path),
        "value",
        "schema/enum",
        `expected one of ${allowed.join(", ")}, found ${JSON.stringify(found)}`,
        suggestion === undefined ? undefined : `did you mean "${suggestion}"?`,
      );
    }
    case "const":
      return error(
        at(path),
        "value",
        "schema/const",
        `expected ${JSON.stringify(params.allowedValue)}, found ${JSON.stringify(found)}`,
      );
    case "pattern":
      return error(
        at(path),
        "value",
        "schema/pattern",
        `expected a valid ${describe(schema).toLowerCase()} (pattern ${String(params.pattern)}), found ${JSON.stringify(found)}`,
        exampleHint(schema),
      );
    case "uniqueItems": {
      const repeat = Math.max(Number(params.i), Number(params.j));
      return error(
        at([...path, repeat]),
        "value",
        "schema/duplicate-item",
        `expected each item once, found ${JSON.stringify(valueAt(root, [...path, repeat]))} twice`,
      );
    }
    case "minItems":
      return error(
        at(path),
        "value",
        "schema/too-few",
        `expected at least ${String(params.limit)} item(s), found ${(found as unknown[]).length}`,
      );
    case "minLength":
      return error(
        at(path),
        "value",
        "schema/too-short",
        `expected at least ${String(params.limit)} character(s), found ${JSON.stringify(found)}`,
      );
    case "minimum":
    case "maximum":
      return error(
        at(path),
        "value",
        "schema/range",
        `expected a number ${String(params.comparison)} ${String(params.limit)}, found ${String(found)}`,
      );
    default:
      return error(
        at(path),
        "value",
        `schema/${e.keyword}`,
        `expected a value that ${e.message ?? "matches the schema"}, found ${JSON.stringify(found)}`,
      );
  }
}

const describe = (schema: JsonSchema): string => (schema.title as string | undefined) ?? "value";
const inWhat = (schema: JsonSchema): string =>
  typeof schema.title === "string" ? ` in ${schema.title.toLowerCase()}` : "";

function exampleHint(schema: JsonSchema): string | undefined {
  const example = JSON.stringify((schema.examples as unknown[] | undefined)?.[0]);
  // A long example helps less than the reference docs, which every hint would otherwise repeat.
  return example === undefined || example.length > 80 ? undefined : `for example ${example}`;
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

/** The JSON pointer ajv gives for a data path. */
const pathToPointer = (path: FieldPath): string =>
  path.map((s) => `/${String(s).replaceAll("~", "~0").replaceAll("/", "~1")}`).join("");

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

const MODELINE = /^# yaml-language-server: \$schema=(\S+)\s*$/;

/**
 * Editors find a descriptor's schema through its first line; it must name the schema of the
 * descriptor's kind. The expected line is given relative to packages/ in the repository.
 */
export function checkModeline(parsed: ParsedDescriptor, kind: Kind): Diagnostic | undefined {
  const first = parsed.text.split(/\r?\n/, 1)[0] ?? "";
  const schema = KIND_SCHEMAS[kind];
  const match = MODELINE.exec(first);
  if (match !== null && (match[1] === schema || match[1]!.endsWith(`/${schema}`))) {
    return undefined;
  }
  const depth = parsed.file.path.split("/").length - 1;
  const expected = `# yaml-language-server: $schema=${"../".repeat(depth)}schemas/${schema}`;
  return {
    severity: "error",
    code: "schema/modeline",
    file: parsed.file.path,
    line: 1,
    column: 1,
    length: Math.max(1, first.length),
    field: "",
    message:
      match === null
        ? `expected the first line to name the schema of this ${kind} descriptor, found ${JSON.stringify(first)}`
        : `expected the first line to name ${schema}, the schema of ${withArticle(kind)}, found ${match[1]}`,
    hint: `write ${expected}`,
  };
}

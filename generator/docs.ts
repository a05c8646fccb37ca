// Descriptor reference: renders the JSON Schemas of the descriptor kinds as one Markdown page with
// a table of every field path, so the documentation is derived from what validation enforces.

import { Document, Scalar, visit } from "yaml";
import {
  alternatives,
  count,
  createContext,
  findRecursion,
  isExactlyOneOf,
  isSchema,
  mapValues,
  refName,
  resolve,
  schemaEntries,
  stringList,
  text,
  typeNames,
  withRefs,
  type Ancestors,
  type Context,
  type Recursion,
  type Resolved,
  type Schema,
  type KindDoc,
} from "./docs-schema.ts";

export type { KindDoc } from "./docs-schema.ts";

interface Row {
  readonly path: string;
  readonly type: string;
  readonly required: boolean;
  readonly description: string;
  readonly example: string;
}

const MAX_EXAMPLE_LENGTH = 60;
const TABLE_HEADER = ["Field", "Type", "Required", "Description", "Example"];

/** Markdown reference of every kind and field, deterministic (same input -> same bytes). */
export function renderDescriptorDocs(
  kinds: readonly KindDoc[],
  shared: Record<string, Record<string, unknown>>,
): string {
  const ctx = createContext(kinds, shared);
  const slug = createSlugger();
  const title = "Descriptor reference";
  slug(title);
  const sections = kinds.map((kind) => renderKind(ctx, kind, slug));
  const lines = [
    `# ${title}`,
    "",
    "Generated from schemas/ by `npm run generate`; do not edit.",
    "",
    ...sections.map((section) => `- [${section.heading}](#${section.anchor})`),
    ...sections.flatMap((section) => ["", ...section.lines]),
  ];
  return `${lines.map((line) => line.trimEnd()).join("\n")}\n`;
}

// ---------------------------------------------------------------------------------------------
// Field rows, depth-first in property order

function fieldRows(ctx: Context, schema: Schema): Row[] {
  const rows: Row[] = [];
  const { schema: root, refs } = resolve(ctx, schema);
  walkChildren(ctx, root, "", withRefs(new Map(), refs, ""), rows);
  return rows;
}

/** The rows of a kind; schema errors name the kind, since refs are shared between kinds. */
function kindRows(ctx: Context, kind: KindDoc): Row[] {
  try {
    // Every descriptor needs its `kind` (validation selects the schema by it), also where the
    // schema lets it out for its other uses (the images a test declares).
    return fieldRows(ctx, kind.schema).map((row) =>
      row.path === "kind" ? { ...row, required: true } : row,
    );
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`kind ${kind.kind}: ${message}`, { cause: error });
  }
}

function joinPath(parent: string, name: string): string {
  return parent === "" ? name : `${parent}.${name}`;
}

/** Rows for everything nested in `schema`: properties, map values, array items, alternatives. */
function walkChildren(
  ctx: Context,
  schema: Schema,
  path: string,
  ancestors: Ancestors,
  rows: Row[],
): void {
  const required = stringList(schema.required);
  for (const [name, property] of schemaEntries(schema.properties)) {
    walkField(ctx, property, joinPath(path, name), required.includes(name), ancestors, rows);
  }
  for (const value of mapValues(schema)) {
    walkNested(ctx, value.schema, joinPath(path, "<name>"), ancestors, rows);
  }
  if (isSchema(schema.items)) walkNested(ctx, schema.items, `${path}[]`, ancestors, rows);
  for (const alternative of alternatives(schema)) {
    // Alternatives share the path of their parent, so their fields say which one they belong to.
    const nested: Row[] = [];
    walkNested(ctx, alternative, path, ancestors, nested);
    const label = alternativeLabel(ctx, alternative);
    rows.push(
      ...nested.map((row) => ({ ...row, description: `For ${label}: ${row.description}` })),
    );
  }
}

/** A named property: always a row, then its children unless it repeats an ancestor. */
function walkField(
  ctx: Context,
  raw: Schema,
  path: string,
  required: boolean,
  ancestors: Ancestors,
  rows: Row[],
): void {
  const resolved = resolve(ctx, raw);
  const recursion = findRecursion(resolved.refs, ancestors);
  rows.push(fieldRow(ctx, resolved, path, required, ancestors, recursion));
  if (recursion === undefined) {
    walkChildren(ctx, resolved.schema, path, withRefs(ancestors, resolved.refs, path), rows);
  }
}

/** An array item or map value: described by its parent's row, so only its children get rows. */
function walkNested(
  ctx: Context,
  raw: Schema,
  path: string,
  ancestors: Ancestors,
  rows: Row[],
): void {
  const resolved = resolve(ctx, raw);
  const recursion = findRecursion(resolved.refs, ancestors);
  if (recursion !== undefined) {
    rows.push(fieldRow(ctx, resolved, path, false, ancestors, recursion));
  } else {
    walkChildren(ctx, resolved.schema, path, withRefs(ancestors, resolved.refs, path), rows);
  }
}

function fieldRow(
  ctx: Context,
  { schema, refs }: Resolved,
  path: string,
  required: boolean,
  ancestors: Ancestors,
  recursion: Recursion | undefined,
): Row {
  // Refs already being expanded are named in the type rather than spelled out again.
  const seen = new Set([...ancestors.keys(), ...refs]);
  return {
    path,
    type: typeOf(ctx, schema, seen),
    required,
    description: describe(ctx, schema, recursion),
    example: exampleOf(schema),
  };
}

// ---------------------------------------------------------------------------------------------
// Type column

function typeOf(ctx: Context, schema: Schema, seen: ReadonlySet<string> = new Set()): string {
  if ("const" in schema) return JSON.stringify(schema.const);
  if (Array.isArray(schema.enum)) {
    return schema.enum.map((value) => JSON.stringify(value)).join(" | ");
  }
  const choices = alternatives(schema);
  if (choices.length > 0) return union(choices.map((choice) => nestedType(ctx, choice, seen)));
  const names = typeNames(schema);
  if (names.length === 0) return "any";
  return union(
    names.map((name) => {
      if (name === "array") return listType(ctx, schema, seen);
      if (name === "object") return objectType(ctx, schema, seen);
      return name;
    }),
  );
}

function listType(ctx: Context, schema: Schema, seen: ReadonlySet<string>): string {
  return isSchema(schema.items) ? `list of ${group(nestedType(ctx, schema.items, seen))}` : "list";
}

function objectType(ctx: Context, schema: Schema, seen: ReadonlySet<string>): string {
  const values = mapValues(schema);
  if (isSchema(schema.properties) || values.length === 0) return "object";
  return `map of ${group(union(values.map((value) => nestedType(ctx, value.schema, seen))))}`;
}

/** Type of a subschema; a ref already being described is named instead of expanded forever. */
function nestedType(ctx: Context, raw: Schema, seen: ReadonlySet<string>): string {
  const { schema, refs } = resolve(ctx, raw);
  const repeated = refs.find((ref) => seen.has(ref));
  if (repeated !== undefined) return refName(repeated);
  return typeOf(ctx, schema, new Set([...seen, ...refs]));
}

function union(types: readonly string[]): string {
  return [...new Set(types)].join(" | ");
}

/** Parenthesizes a union inside `list of` / `map of` so the reading is unambiguous. */
function group(type: string): string {
  return type.includes(" | ") ? `(${type})` : type;
}

function alternativeLabel(ctx: Context, raw: Schema): string {
  const { schema } = resolve(ctx, raw);
  const type = typeOf(ctx, schema);
  const title = text(schema.title);
  return title === undefined ? type : `${title} (${type})`;
}

// ---------------------------------------------------------------------------------------------
// Description column

function describe(ctx: Context, schema: Schema, recursion: Recursion | undefined): string {
  const parts: string[] = [];
  const title = text(schema.title);
  if (title !== undefined) parts.push(`**${title.replace(/\.$/, "")}.**`);
  const description = text(schema.description);
  if (description !== undefined) parts.push(description);
  parts.push(...constraints(ctx, schema).map(sentence));
  if ("default" in schema) parts.push(`Default: ${code(plainOrJson(schema.default))}.`);
  if (recursion !== undefined) {
    const target = recursion.path === "" ? "the whole descriptor" : code(recursion.path);
    parts.push(`Same structure as ${target} (recursive ${code(refName(recursion.ref))}).`);
  }
  return parts.join(" ");
}

function sentence(fragment: string): string {
  return `${fragment.charAt(0).toUpperCase()}${fragment.slice(1)}.`;
}

/** Validation keywords of a field, plus those of its items and map values, as short phrases. */
function constraints(ctx: Context, schema: Schema): string[] {
  const phrases = ownConstraints(ctx, schema);
  if (isSchema(schema.items)) {
    const item = ownConstraints(ctx, resolve(ctx, schema.items).schema);
    if (item.length > 0) phrases.push(`each item: ${item.join(", ")}`);
  }
  for (const value of mapValues(schema)) {
    const own = ownConstraints(ctx, resolve(ctx, value.schema).schema);
    if (value.pattern !== undefined) phrases.push(`keys must match ${code(value.pattern)}`);
    if (own.length > 0) phrases.push(`each value: ${own.join(", ")}`);
  }
  return phrases;
}

/** Constraints on the value itself, not descending into items or map values. */
function ownConstraints(ctx: Context, schema: Schema): string[] {
  const phrases = [...boundPhrases(schema), ...objectPhrases(ctx, schema)];
  const pattern = text(schema.pattern);
  if (pattern !== undefined) phrases.unshift(`must match ${code(pattern)}`);
  const format = text(schema.format);
  if (format !== undefined) phrases.push(`format ${code(format)}`);
  if (schema.uniqueItems === true) phrases.push("items must be unique");
  const choices = alternatives(schema);
  if (choices.length > 0) {
    phrases.push(`one of: ${choices.map((choice) => alternativeLabel(ctx, choice)).join(", ")}`);
  }
  return phrases;
}

function boundPhrases(schema: Schema): string[] {
  const bounds: [unknown, string, string][] = [
    [schema.minimum, "at least", ""],
    [schema.exclusiveMinimum, "greater than", ""],
    [schema.maximum, "at most", ""],
    [schema.exclusiveMaximum, "less than", ""],
    [schema.minLength, "at least", "character"],
    [schema.maxLength, "at most", "character"],
    [schema.minItems, "at least", "item"],
    [schema.maxItems, "at most", "item"],
  ];
  return bounds.flatMap(([value, relation, unit]) => {
    const n = count(value);
    if (n === undefined) return [];
    return [unit === "" ? `${relation} ${n}` : `${relation} ${n} ${unit}${n === 1 ? "" : "s"}`];
  });
}

function objectPhrases(ctx: Context, schema: Schema): string[] {
  const keys = isSchema(schema.properties) ? Object.keys(schema.properties) : [];
  if (isExactlyOneOf(schema)) {
    return [keys.length > 0 ? `exactly one of: ${keys.map(code).join(", ")}` : "exactly one key"];
  }
  const phrases: string[] = [];
  const min = count(schema.minProperties);
  const max = count(schema.maxProperties);
  if (min !== undefined) phrases.push(`at least ${min} key${min === 1 ? "" : "s"}`);
  if (max !== undefined) phrases.push(`at most ${max} key${max === 1 ? "" : "s"}`);
  // Key names may be a shared definition (`$ref`), whose title says what they are.
  const names = isSchema(schema.propertyNames) ? resolve(ctx, schema.propertyNames).schema : {};
  const pattern = text(names.pattern);
  const what = text(names.title);
  if (pattern !== undefined) {
    const kind = what === undefined ? "" : ` (${what.toLowerCase()}s)`;
    phrases.push(`keys${kind} must match ${code(pattern)}`);
  }
  return phrases;
}

// ---------------------------------------------------------------------------------------------
// Example column

function exampleOf(schema: Schema): string {
  if (!Array.isArray(schema.examples) || schema.examples.length === 0) return "";
  return code(truncate(plainOrJson(schema.examples[0])));
}

/** Single-line strings as written; anything else as JSON, which shows newlines as `\n`. */
function plainOrJson(value: unknown): string {
  return typeof value === "string" && !value.includes("\n") ? value : String(JSON.stringify(value));
}

function truncate(value: string): string {
  // Count code points so that the cut never splits a surrogate pair.
  const chars = Array.from(value);
  if (chars.length <= MAX_EXAMPLE_LENGTH) return value;
  return `${chars.slice(0, MAX_EXAMPLE_LENGTH - 1).join("")}…`;
}

// ---------------------------------------------------------------------------------------------
// Markdown

/** Inline code whose fence is longer than any backtick run inside. */
function code(value: string): string {
  const longest = Math.max(0, ...(value.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longest + 1);
  // CommonMark strips one space on each side when both exist, and needs one next to a backtick.
  const pad =
    value.startsWith("`") || value.endsWith("`") || /^ .*[^ ].* $/s.test(value) ? " " : "";
  return `${fence}${pad}${value}${pad}${fence}`;
}

function oneLine(value: string): string {
  return value.replace(/\s*[\r\n]+\s*/g, " ").trim();
}

function cell(value: string): string {
  return oneLine(value).replace(/\|/g, "\\|");
}

function tableRow(cells: readonly string[]): string {
  return `| ${cells.map(cell).join(" | ")} |`;
}

function renderTable(rows: readonly Row[]): string[] {
  return [
    tableRow(TABLE_HEADER),
    tableRow(TABLE_HEADER.map(() => "---")),
    ...rows.map((row) =>
      tableRow([
        code(row.path),
        row.type,
        row.required ? "yes" : "no",
        row.description,
        row.example,
      ]),
    ),
  ];
}

/** GitHub-style heading anchors, numbered when a heading text repeats. */
function createSlugger(): (heading: string) => string {
  const used = new Set<string>();
  return (heading) => {
    const base = heading
      .toLowerCase()
      .replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, "")
      .replace(/ /g, "-");
    let slug = base;
    for (let n = 1; used.has(slug); n++) slug = `${base}-${n}`;
    used.add(slug);
    return slug;
  };
}

interface KindSection {
  readonly heading: string;
  readonly anchor: string;
  readonly lines: string[];
}

function renderKind(ctx: Context, kind: KindDoc, slug: (heading: string) => string): KindSection {
  const heading = `${text(kind.schema.title) ?? kind.kind} (${code(`kind: ${kind.kind}`)})`;
  const anchor = slug(heading);
  const lines = [`## ${heading}`, ""];
  const description = text(kind.schema.description);
  if (description !== undefined) lines.push(description, "");
  lines.push(`Lives at: ${oneLine(kind.placement)}`, "", ...renderTable(kindRows(ctx, kind)));
  const example = Array.isArray(kind.schema.examples) ? kind.schema.examples[0] : undefined;
  if (isSchema(example)) {
    const title = "Complete example";
    slug(title);
    lines.push("", `### ${title}`, "", ...codeBlock("yaml", toYaml(example)));
  }
  return { heading, anchor, lines };
}

function codeBlock(language: string, body: string): string[] {
  const longest = Math.max(0, ...(body.match(/^`+/gm) ?? []).map((run) => run.length));
  const fence = "`".repeat(Math.max(3, longest + 1));
  return [`${fence}${language}`, ...body.replace(/\n$/, "").split("\n"), fence];
}

function toYaml(value: Schema): string {
  const doc = new Document(value);
  // Block scalars keep trailing blanks verbatim; quote those strings so no line ends in a blank.
  visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value === "string" && /[ \t]$/m.test(node.value)) {
        node.type = Scalar.QUOTE_DOUBLE;
      }
    },
  });
  return doc.toString({ lineWidth: 0 });
}

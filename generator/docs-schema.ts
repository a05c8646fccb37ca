// Reading the JSON Schemas for the reference: which document each schema object comes from,
// `$ref`s followed across documents (the referring schema's own keywords winning), recursion
// found, and typed access to the keywords.

export interface KindDoc {
  /** The `kind:` value, e.g. "dockerImage". */
  readonly kind: string;
  /** Where descriptors of this kind live, e.g. "packages/dockerImages/<name>.yaml". One line of prose. */
  readonly placement: string;
  /** The parsed JSON Schema (draft 2020-12) of the kind. */
  readonly schema: Record<string, unknown>;
}

export type Schema = Record<string, unknown>;

/** The document a schema object was found in, so that `#/...` refs resolve against that file. */
export interface Origin {
  readonly name: string;
  readonly root: Schema;
}

export interface Context {
  readonly shared: Readonly<Record<string, Schema>>;
  readonly origins: WeakMap<object, Origin>;
}

export interface Resolved {
  readonly schema: Schema;
  /** Keys (`document#pointer`) of the refs followed to reach `schema`, outermost first. */
  readonly refs: readonly string[];
}

/** Ref keys being expanded above the current field, each mapped to the path where it began. */
export type Ancestors = ReadonlyMap<string, string>;

/** A field that repeats one of its ancestors: it is not expanded again, only pointed at. */
export interface Recursion {
  readonly ref: string;
  readonly path: string;
}

// ---------------------------------------------------------------------------------------------
// Schema documents and $ref resolution

export function createContext(kinds: readonly KindDoc[], shared: Record<string, Schema>): Context {
  const origins = new WeakMap<object, Origin>();
  // Kinds first: an object reachable from both a kind and `shared` resolves locally to the kind.
  for (const kind of kinds) {
    indexOrigins(kind.schema, { name: `kind:${kind.kind}`, root: kind.schema }, origins);
  }
  for (const name of Object.keys(shared).sort()) {
    const root = shared[name];
    if (root !== undefined) indexOrigins(root, { name, root }, origins);
  }
  return { shared, origins };
}

/** Records the document of every object nested in `value`. */
export function indexOrigins(
  value: unknown,
  origin: Origin,
  origins: WeakMap<object, Origin>,
): void {
  if (value === null || typeof value !== "object" || origins.has(value)) return;
  origins.set(value, origin);
  for (const child of Object.values(value)) indexOrigins(child, origin, origins);
}

export function isSchema(value: unknown): value is Schema {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** Follows `$ref`s; the referring schema's own keywords win over the referenced ones. */
export function resolve(ctx: Context, schema: Schema, chain: readonly string[] = []): Resolved {
  const ref = schema.$ref;
  if (typeof ref !== "string") return { schema, refs: chain };
  const { key, target } = lookupRef(ctx, schema, ref);
  if (chain.includes(key)) throw new Error(`$ref cycle: ${[...chain, key].join(" -> ")}`);
  const inner = resolve(ctx, target, [...chain, key]);
  const own = Object.fromEntries(Object.entries(schema).filter(([keyword]) => keyword !== "$ref"));
  return { schema: { ...inner.schema, ...own }, refs: inner.refs };
}

export function lookupRef(
  ctx: Context,
  holder: Schema,
  ref: string,
): { key: string; target: Schema } {
  const hash = ref.indexOf("#");
  const location = hash < 0 ? ref : ref.slice(0, hash);
  const pointer = hash < 0 ? "" : ref.slice(hash + 1);
  // Refs may name the file by a relative path or its $id URL; `shared` is keyed by file name.
  const file = location.slice(location.lastIndexOf("/") + 1);
  const origin = ctx.origins.get(holder);
  const name = file === "" ? origin?.name : file;
  const root = file === "" ? origin?.root : ctx.shared[file];
  if (name === undefined || root === undefined) {
    const where = file === "" ? "it is outside every known schema" : `unknown file "${file}"`;
    throw new Error(`cannot resolve $ref "${ref}": ${where}`);
  }
  const target = followPointer(root, pointer);
  if (!isSchema(target)) throw new Error(`cannot resolve $ref "${ref}": nothing at ${pointer}`);
  return { key: `${name}#${pointer}`, target };
}

/** JSON Pointer (RFC 6901) lookup of a URI fragment. */
export function followPointer(root: Schema, pointer: string): unknown {
  if (pointer === "") return root;
  let node: unknown = root;
  for (const raw of pointer.replace(/^\//, "").split("/")) {
    const token = decodeURIComponent(raw).replace(/~1/g, "/").replace(/~0/g, "~");
    node =
      isSchema(node) || Array.isArray(node) ? (node as Record<string, unknown>)[token] : undefined;
  }
  return node;
}

/** The name a recursive ref is referred to by: the last pointer segment, e.g. `node`. */
export function refName(key: string): string {
  return key.slice(key.lastIndexOf("/") + 1);
}

export function findRecursion(
  refs: readonly string[],
  ancestors: Ancestors,
): Recursion | undefined {
  for (const ref of refs) {
    const path = ancestors.get(ref);
    if (path !== undefined) return { ref, path };
  }
  return undefined;
}

export function withRefs(ancestors: Ancestors, refs: readonly string[], path: string): Ancestors {
  if (refs.length === 0) return ancestors;
  const next = new Map(ancestors);
  for (const ref of refs) if (!next.has(ref)) next.set(ref, path);
  return next;
}

// ---------------------------------------------------------------------------------------------
// Keyword accessors

export function stringList(value: unknown): string[] {
  return Array.isArray(value)
    ? value.filter((item): item is string => typeof item === "string")
    : [];
}

export function schemaList(value: unknown): Schema[] {
  return Array.isArray(value) ? value.filter(isSchema) : [];
}

export function schemaEntries(value: unknown): [string, Schema][] {
  return isSchema(value)
    ? Object.entries(value).filter((entry): entry is [string, Schema] => isSchema(entry[1]))
    : [];
}

export function text(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
}

export function count(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

/** Value schemas of a map: `additionalProperties` and each `patternProperties` entry. */
export function mapValues(schema: Schema): { pattern?: string; schema: Schema }[] {
  const values: { pattern?: string; schema: Schema }[] = schemaEntries(
    schema.patternProperties,
  ).map(([pattern, value]) => ({ pattern, schema: value }));
  if (isSchema(schema.additionalProperties)) values.push({ schema: schema.additionalProperties });
  return values;
}

export function alternatives(schema: Schema): Schema[] {
  return [...schemaList(schema.oneOf), ...schemaList(schema.anyOf)];
}

export function typeNames(schema: Schema): string[] {
  if (typeof schema.type === "string") return [schema.type];
  if (Array.isArray(schema.type)) return stringList(schema.type);
  // Untyped schemas still say what they hold through their keywords.
  if (isSchema(schema.properties) || mapValues(schema).length > 0) return ["object"];
  if (isSchema(schema.items)) return ["array"];
  return [];
}

export function isExactlyOneOf(schema: Schema): boolean {
  return schema.minProperties === 1 && schema.maxProperties === 1;
}

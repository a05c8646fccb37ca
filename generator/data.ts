// Mappings read from descriptors. Their keys are names a user wrote (folders, services, files,
// parameters), so they are objects without a prototype, read through `own`: `constructor`,
// `toString` or `__proto__` are keys like any other, never inherited members.

export type Data = Record<string, unknown>;

export const isMapping = (v: unknown): v is Data =>
  v !== null && typeof v === "object" && !Array.isArray(v);

export const emptyData = (): Data => Object.create(null) as Data;

export function dataFrom(entries: Iterable<readonly [string, unknown]>): Data {
  const data = emptyData();
  for (const [key, value] of entries) data[key] = value;
  return data;
}

/** The value of `key` when `data` has it itself, never one inherited. */
export const own = (data: Data, key: string): unknown =>
  Object.hasOwn(data, key) ? data[key] : undefined;

/**
 * A frozen copy of plain data (as the YAML parser gives it) in which every mapping has no
 * prototype. The parse stage bounds nesting first, so the recursion stays shallow.
 */
export function withoutPrototypes(value: unknown): unknown {
  if (Array.isArray(value)) return Object.freeze(value.map(withoutPrototypes));
  if (!isMapping(value)) return value;
  const entries = Object.entries(value).map(([k, v]) => [k, withoutPrototypes(v)] as const);
  return Object.freeze(dataFrom(entries));
}

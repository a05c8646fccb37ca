// Checks within one list of a descriptor: each name once, and names that items give of each other
// (dependencies) naming items of the list, without a cycle.

import { didYouMean, type Diagnostic } from "../diagnostics.ts";
import type { FieldPath } from "../positions.ts";
import { error, whereIs } from "./context.ts";
import { findCycle } from "./cycles.ts";
import type { Reader } from "./reader.ts";

/**
 * Items whose names become attribute names (or otherwise must differ) appear once: a repeated
 * name is reported at its second occurrence, naming where the first is.
 */
export function checkUnique<T>(
  r: Reader,
  items: readonly T[],
  nameOf: (item: T) => string,
  pathOf: (index: number) => FieldPath,
  code: string,
  what: string,
): void {
  const first = new Map<string, number>();
  items.forEach((item, i) => {
    const name = nameOf(item);
    const earlier = first.get(name);
    if (earlier === undefined) {
      first.set(name, i);
      return;
    }
    r.ctx.diagnostics.push(
      error(
        r.ctx.v,
        pathOf(i),
        code,
        `expected each ${what} once, found ${JSON.stringify(name)} a second time; the first is at ${whereIs(r.ctx.v, pathOf(earlier))}`,
        "remove one of them, or give them different names",
      ),
    );
  });
}

/** Dependencies between items of one list (gems, Python packages) must name items of the list. */
export function checkNamesWithin<K extends string>(
  r: Reader,
  listKey: string,
  items: readonly ({ readonly name: string } & Readonly<Record<K, readonly string[]>>)[],
  depsKey: K,
  what: string,
): void {
  const names = items.map((i) => i.name);
  items.forEach((item, i) => {
    item[depsKey].forEach((dep, j) => {
      if (names.includes(dep)) return;
      r.ctx.diagnostics.push(unknownName(r, [...r.at(listKey), i, depsKey, j], dep, names, what));
    });
  });
  const cycle = findCycle(names, (n) => {
    const item = items.find((i) => i.name === n)!;
    return item[depsKey].filter((d) => names.includes(d));
  });
  if (cycle !== undefined) {
    r.ctx.diagnostics.push(
      error(
        r.ctx.v,
        [...r.at(listKey), names.indexOf(cycle[0]!), depsKey],
        "dependency/cycle",
        `${what}s depend on each other in a cycle: ${cycle.join(" -> ")}`,
      ),
    );
  }
}

export function unknownName(
  r: Reader,
  path: FieldPath,
  name: string,
  names: readonly string[],
  what: string,
): Diagnostic {
  const suggestion = didYouMean(name, names);
  return error(
    r.ctx.v,
    path,
    "dependency/unknown",
    `expected the name of a ${what} of this list, found ${JSON.stringify(name)}`,
    suggestion === undefined ? undefined : `did you mean "${suggestion}"?`,
  );
}

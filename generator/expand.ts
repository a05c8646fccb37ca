// Stage 3, expand: apply `extends`. Fragments (packages/fragments/**) are partial descriptors merged
// under the mappings that name them; `${{ args.x }}` in a fragment takes the value given with
// `with:`. Every merged node remembers the file and field it was written at, so later errors point
// into the fragment when the mistake is there.

import { dataFrom, emptyData, isMapping, own, type Data } from "./data.ts";
import { didYouMean, type Diagnostic } from "./diagnostics.ts";
import { withArticle } from "./kinds.ts";
import type { ParsedDescriptor } from "./parse.ts";
import { diagnosticAt, type FieldPath, type Origin } from "./positions.ts";
import {
  ARG,
  checkArguments,
  checkParameters,
  isWellFormedUse,
  type Report,
} from "./fragment-uses.ts";

/** A descriptor's data after expansion, and where each part of it came from. */
export interface Expanded {
  readonly parsed: ParsedDescriptor;
  readonly value: unknown;
  readonly locate: (path: FieldPath) => Origin;
  /** Fragments it extends, directly or not, that have errors of their own (it lacks their part). */
  readonly brokenFragments: readonly string[];
}

/** A fragment's value with its own `extends` applied, and the broken fragments it needed. */
interface Expansion {
  readonly value: Data;
  readonly origin: Origin;
  readonly broken: ReadonlySet<string>;
}

/** What a fragment can be merged into. */
export const FRAGMENT_TARGETS = [
  "application",
  "tool",
  "dockerImage",
  "debianPackage",
  "service",
  "configFile",
  "iniSection",
  "fluentd",
] as const;
export type FragmentTarget = (typeof FRAGMENT_TARGETS)[number];

/** Mappings inside a target that may have their own `extends`, and what they are. */
const NESTED: Partial<
  Record<FragmentTarget, readonly { at: readonly string[]; target: FragmentTarget }[]>
> = {
  dockerImage: [{ at: ["services", "*"], target: "service" }],
  service: [
    { at: ["configFiles", "*"], target: "configFile" },
    { at: ["fluentd"], target: "fluentd" },
  ],
  configFile: [{ at: ["ini", "sections", "*"], target: "iniSection" }],
};

/** A fragment descriptor whose envelope (kind, fragmentOf, parameters, value) is valid. */
export interface FragmentDescriptor {
  readonly parsed: ParsedDescriptor;
  readonly name: string;
  readonly target: FragmentTarget;
  readonly parameters: readonly string[];
}

/** The argument a string takes its whole value or a `${{ }}` reference from, if any. */
function argumentIn(text: string, args: Data): string | undefined {
  for (const m of text.matchAll(ARG)) {
    const given = own(args, m[1]!);
    if (text.trim() === m[0] || (typeof given === "string" && given.includes("${{"))) return m[1];
  }
  return undefined;
}

export class Expander {
  readonly diagnostics: Diagnostic[] = [];
  /** For nodes built here: the origin of each key (mappings) or index (lists). */
  private readonly origins = new WeakMap<object, Map<string, Origin>>();
  private readonly fragments = new Map<string, FragmentDescriptor>();
  private readonly done = new Map<string, Expansion>();
  /** Broken fragments the expansion under way would have used. */
  private touched = new Set<string>();
  private readonly reportedCycles = new Set<string>();

  /** `broken`: names of fragments whose own errors are already reported; uses of them stay quiet. */
  constructor(
    fragments: readonly FragmentDescriptor[],
    private readonly broken: ReadonlySet<string> = new Set(),
  ) {
    for (const f of fragments) this.fragments.set(f.name, f);
  }

  /** The descriptor with every `extends` applied. */
  descriptor(parsed: ParsedDescriptor, target: FragmentTarget | undefined): Expanded {
    this.touched = new Set();
    const origin = { d: parsed, path: [] };
    let value = target === undefined ? parsed.value : this.expand(parsed.value, origin, target, []);
    // The images a test declares are docker images: their own `extends` apply as well.
    if (isMapping(value) && value.kind === "test") {
      value = this.expandAt(value, origin, ["images", "*"], "dockerImage", []);
    }
    const expanded = value;
    return {
      parsed,
      value,
      locate: (path) => this.locate(expanded, origin, path),
      brokenFragments: [...this.touched].sort(),
    };
  }

  /** A fragment's value with its own `extends` applied, or undefined when it cannot be expanded. */
  fragment(name: string): Expanded | undefined {
    const f = this.fragments.get(name);
    const expanded = this.expandFragment(name, []);
    if (f === undefined || expanded === undefined) return undefined;
    const root = { d: f.parsed, path: [] };
    const value = dataFrom([...Object.entries(f.parsed.value as Data), ["value", expanded.value]]);
    this.origins.set(value, new Map([["value", expanded.origin]]));
    for (const key of Object.keys(value)) {
      if (key !== "value") this.origins.get(value)!.set(key, { d: f.parsed, path: [key] });
    }
    return {
      parsed: f.parsed,
      value,
      locate: (path) => this.locate(value, root, path),
      brokenFragments: [...expanded.broken].sort(),
    };
  }

  private expandFragment(name: string, stack: readonly string[]): Expansion {
    const cached = this.done.get(name);
    if (cached !== undefined) {
      for (const b of cached.broken) this.touched.add(b);
      return cached;
    }
    const f = this.fragments.get(name)!;
    const origin = { d: f.parsed, path: ["value"] };
    const raw = own(f.parsed.value as Data, "value") as Data;
    checkParameters(f, raw, origin, this.reporter);
    const outer = this.touched;
    this.touched = new Set();
    const value = this.expand(raw, origin, f.target, [...stack, name]) as Data;
    const expansion = { value, origin, broken: this.touched };
    this.touched = outer;
    for (const b of expansion.broken) outer.add(b);
    this.done.set(name, expansion);
    return expansion;
  }

  private expand(
    value: unknown,
    origin: Origin,
    target: FragmentTarget,
    stack: readonly string[],
  ): unknown {
    if (!isMapping(value)) return value;
    let result: Data = value;
    if (Array.isArray(own(value, "extends"))) {
      result = this.applyExtends(value, origin, target, stack);
    }
    for (const nested of NESTED[target] ?? []) {
      result = this.expandAt(result, origin, nested.at, nested.target, stack);
    }
    return result;
  }

  /** Expand the mappings found at `at` (`*` = every item or key) below `node`. */
  private expandAt(
    node: Data,
    origin: Origin,
    at: readonly string[],
    target: FragmentTarget,
    stack: readonly string[],
  ): Data {
    const [step, ...rest] = at;
    const keys =
      step === undefined
        ? []
        : step === "*"
          ? Object.keys(node)
          : Object.hasOwn(node, step)
            ? [step]
            : [];
    if (keys.length === 0) return node;
    const copy = this.copyMapping(node, origin);
    for (const key of keys) {
      const childOrigin = this.originOf(node, origin, key);
      const child = node[key];
      copy[key] =
        rest.length === 0
          ? this.expand(child, childOrigin, target, stack)
          : Array.isArray(child)
            ? this.expandEach(child, childOrigin, rest, target, stack)
            : isMapping(child)
              ? this.expandAt(child, childOrigin, rest, target, stack)
              : child;
    }
    return copy;
  }

  private expandEach(
    list: readonly unknown[],
    origin: Origin,
    at: readonly string[],
    target: FragmentTarget,
    stack: readonly string[],
  ): unknown[] {
    const [step, ...rest] = at;
    if (step !== "*") return [...list];
    const copy = list.map((item, i) => {
      const o = this.originOf(list, origin, String(i));
      if (rest.length === 0) return this.expand(item, o, target, stack);
      return isMapping(item) ? this.expandAt(item, o, rest, target, stack) : item;
    });
    this.origins.set(
      copy,
      new Map(list.map((_, i) => [String(i), this.originOf(list, origin, String(i))])),
    );
    return copy;
  }

  private applyExtends(
    value: Data,
    origin: Origin,
    target: FragmentTarget,
    stack: readonly string[],
  ): Data {
    const uses = own(value, "extends") as unknown[];
    const usesOrigin = this.originOf(value, origin, "extends");
    if (uses.length === 0) {
      this.report(
        usesOrigin,
        "schema/too-few",
        "expected at least 1 fragment, found an empty list",
      );
    }
    let base: Data = emptyData();
    let baseOrigin: Origin = origin;
    uses.forEach((use, i) => {
      const useOrigin = this.originOf(uses, usesOrigin, String(i));
      const fragment = this.useFragment(use, useOrigin, target, stack);
      if (fragment === undefined) return;
      base = this.merge(base, baseOrigin, fragment.value, fragment.origin);
      baseOrigin = fragment.origin;
    });
    const mine = dataFrom(Object.entries(value).filter(([k]) => k !== "extends"));
    this.origins.set(
      mine,
      new Map(Object.keys(mine).map((k) => [k, this.originOf(value, origin, k)])),
    );
    return this.merge(base, baseOrigin, mine, origin);
  }

  /** The value of one `extends` entry, checked and with its arguments substituted. */
  private useFragment(
    use: unknown,
    origin: Origin,
    target: FragmentTarget,
    stack: readonly string[],
  ): { value: Data; origin: Origin } | undefined {
    if (!isWellFormedUse(use, origin, this.reporter)) return undefined;
    const name = (typeof use === "string" ? use : own(use as Data, "fragment")) as string;
    const nameOrigin =
      typeof use === "string" ? origin : { d: origin.d, path: [...origin.path, "fragment"] };
    if (this.broken.has(name)) {
      this.touched.add(name);
      return undefined;
    }
    const f = this.fragments.get(name);
    if (f === undefined) {
      const suggestion = didYouMean(name, [...this.fragments.keys(), ...this.broken]);
      this.report(
        nameOrigin,
        "fragment/unknown",
        `unknown fragment ${name}; expected the name of a file under packages/fragments/`,
        suggestion === undefined ? undefined : `did you mean ${suggestion}?`,
      );
      return undefined;
    }
    if (f.target !== target) {
      this.report(
        nameOrigin,
        "fragment/wrong-target",
        `${name} is a fragment of ${withArticle(f.target)}; it cannot extend ${withArticle(target)}`,
      );
      return undefined;
    }
    if (stack.includes(name)) {
      const cycle = [...stack.slice(stack.indexOf(name)), name];
      const key = [...cycle].sort().join(" ");
      if (!this.reportedCycles.has(key)) {
        this.reportedCycles.add(key);
        this.report(
          nameOrigin,
          "fragment/cycle",
          `fragments extend each other in a cycle: ${cycle.join(" -> ")}`,
        );
      }
      return undefined;
    }
    const expanded = this.expandFragment(name, stack);
    if (expanded === undefined) return undefined;
    const given = isMapping(use) ? own(use, "with") : undefined;
    const args = isMapping(given) ? given : emptyData();
    if (!checkArguments(f, args, origin, this.reporter)) return undefined;
    if (f.parameters.length === 0) return expanded;
    const argOrigin = (name: string): Origin => ({
      d: origin.d,
      path: [...origin.path, "with", name],
    });
    const value = this.substitute(expanded.value, expanded.origin, args, argOrigin) as Data;
    return { value, origin: expanded.origin };
  }

  /**
   * A copy of `value` with `${{ args.x }}` replaced, keeping every node's origin. A string that is
   * exactly one argument takes the argument's value and type (`oneShot: ${{ args.once }}`), and is
   * located where the argument was given, as is any text that got a reference from an argument.
   */
  private substitute(
    value: unknown,
    origin: Origin,
    args: Data,
    argOrigin: (name: string) => Origin,
  ): unknown {
    if (typeof value === "string") {
      const whole = /^\$\{\{\s*args\.([A-Za-z0-9_]+)\s*\}\}$/.exec(value);
      if (whole !== null && Object.hasOwn(args, whole[1]!)) return args[whole[1]!];
      return value.replace(ARG, (all, name: string) =>
        Object.hasOwn(args, name) ? String(args[name]) : all,
      );
    }
    if (!Array.isArray(value) && !isMapping(value)) return value;
    const entries: [string, unknown][] = Array.isArray(value)
      ? value.map((v, i) => [String(i), v])
      : Object.entries(value);
    const origins = new Map<string, Origin>();
    const copied = entries.map(([k, v]) => {
      const from = typeof v === "string" ? argumentIn(v, args) : undefined;
      const o = from === undefined ? this.originOf(value, origin, k) : argOrigin(from);
      origins.set(k, o);
      return [k, this.substitute(v, o, args, argOrigin)] as const;
    });
    const copy = Array.isArray(value) ? copied.map(([, v]) => v) : dataFrom(copied);
    this.origins.set(copy, origins);
    return copy;
  }

  /** `over` merged onto `base`: mappings key by key, anything else replaced by `over`'s value. */
  private merge(base: Data, baseOrigin: Origin, over: Data, overOrigin: Origin): Data {
    const out = emptyData();
    const origins = new Map<string, Origin>();
    for (const [k, v] of Object.entries(base)) {
      out[k] = v;
      origins.set(k, this.originOf(base, baseOrigin, k));
    }
    for (const [k, v] of Object.entries(over)) {
      const o = this.originOf(over, overOrigin, k);
      const previous = own(out, k);
      out[k] =
        isMapping(previous) && isMapping(v) ? this.merge(previous, origins.get(k)!, v, o) : v;
      origins.set(k, o);
    }
    this.origins.set(out, origins);
    return out;
  }

  private copyMapping(node: Data, origin: Origin): Data {
    const copy = dataFrom(Object.entries(node));
    this.origins.set(
      copy,
      new Map(Object.keys(node).map((k) => [k, this.originOf(node, origin, k)])),
    );
    return copy;
  }

  private originOf(node: object, origin: Origin, key: string): Origin {
    return (
      this.origins.get(node)?.get(key) ?? {
        d: origin.d,
        path: [...origin.path, Array.isArray(node) ? Number(key) : key],
      }
    );
  }

  private locate(root: unknown, origin: Origin, path: FieldPath): Origin {
    let node = root;
    let at = origin;
    for (const step of path) {
      if (node === null || typeof node !== "object") {
        at = { d: at.d, path: [...at.path, step] };
        continue;
      }
      at = this.originOf(node, at, String(step));
      node = Array.isArray(node) ? node[Number(step)] : own(node as Data, String(step));
    }
    return at;
  }

  private readonly reporter: Report = (origin, code, message, hint, which) =>
    this.report(origin, code, message, hint, which);

  private report(
    origin: Origin,
    code: string,
    message: string,
    hint?: string,
    which: "key" | "value" = "value",
  ): void {
    this.diagnostics.push(diagnosticAt(origin, code, message, hint, which));
  }
}

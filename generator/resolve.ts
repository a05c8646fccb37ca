// Stage 4, resolve: turn validated descriptors into the typed package set. Fills in defaults,
// parses `${{ attr.path }}` references and checks them, places each kind in the tree, and reports
// name clashes and cycles.

import { didYouMean, type Diagnostic } from "./diagnostics.ts";
import {
  DEFAULT_PARENT_IMAGE,
  PLACEMENT,
  RESERVED_NAMES,
  refName,
  type Package,
  type PackageRef,
  type PackageSet,
  type Service,
  type Template,
} from "./model.ts";
import {
  fieldName,
  positionOf,
  positionOfText,
  type FieldPath,
  type ParsedDescriptor,
} from "./parse.ts";
import type { ValidDescriptor } from "./validate.ts";

/** `${{ a.b }}` is a reference; `$${{` writes a literal `${{`. */
const REFERENCE = /\$\$\{\{|\$\{\{(.*?)\}\}|\$\{\{/gs;
const ATTR_PATH = /^[A-Za-z_][A-Za-z0-9_'-]*(\.[A-Za-z_][A-Za-z0-9_'-]*)*$/;

type Data = Record<string, unknown>;

interface Context {
  readonly d: ParsedDescriptor;
  readonly known: ReadonlySet<string>;
  readonly diagnostics: Diagnostic[];
  /** Every reference made, with where it was written, for the cycle check. */
  readonly refs: { ref: PackageRef; path: FieldPath; text: string }[];
}

/**
 * `allPaths`: attribute paths of every discovered descriptor, valid or not, so that a reference
 * to a descriptor with its own errors is not reported a second time as unknown.
 */
export function resolve(
  descriptors: readonly ValidDescriptor[],
  allPaths: readonly (readonly string[])[] = descriptors.map((v) => v.parsed.file.attrPath),
): {
  set?: PackageSet;
  diagnostics: Diagnostic[];
} {
  const diagnostics: Diagnostic[] = [];
  const known = new Set(allPaths.map((p) => p.join(".")));
  checkTree(descriptors, diagnostics);
  const packages: Package[] = [];
  const refsBySource = new Map<string, Context["refs"]>();
  for (const v of descriptors) {
    const ctx: Context = { d: v.parsed, known, diagnostics, refs: [] };
    packages.push(toPackage(v, ctx));
    refsBySource.set(v.parsed.file.attrPath.join("."), ctx.refs);
  }
  checkCycles(descriptors, refsBySource, diagnostics);
  packages.sort((a, b) => compareAttrPaths(a.attrPath, b.attrPath));
  return diagnostics.length > 0 ? { diagnostics } : { set: { packages }, diagnostics };
}

const compareAttrPaths = (a: readonly string[], b: readonly string[]): number => {
  const x = a.join("."),
    y = b.join(".");
  return x < y ? -1 : x > y ? 1 : 0;
};

function error(
  ctx: Pick<Context, "d">,
  path: FieldPath,
  code: string,
  message: string,
  hint?: string,
  needle?: string,
): Diagnostic {
  const position =
    needle === undefined ? positionOf(ctx.d, path) : positionOfText(ctx.d, path, needle);
  return {
    severity: "error",
    code,
    file: ctx.d.file.path,
    ...position,
    field: fieldName(path),
    message,
    ...(hint === undefined ? {} : { hint }),
  };
}

/** File/folder clashes, reserved names and the place of each kind in the tree. */
function checkTree(descriptors: readonly ValidDescriptor[], diagnostics: Diagnostic[]): void {
  const paths = new Set(descriptors.map((v) => v.parsed.file.attrPath.join(".")));
  for (const v of descriptors) {
    const attrPath = v.parsed.file.attrPath;
    const dotted = attrPath.join(".");
    const ctx = { d: v.parsed };
    for (let i = 1; i < attrPath.length; i++) {
      const prefix = attrPath.slice(0, i).join(".");
      if (paths.has(prefix)) {
        diagnostics.push(
          error(
            ctx,
            [],
            "tree/clash",
            `${dotted} lies inside ${prefix}, which is already a package`,
            `rename the folder or the file ${prefix.replaceAll(".", "/")}.yaml`,
          ),
        );
      }
    }
    if (RESERVED_NAMES.has(attrPath[0]!)) {
      diagnostics.push(
        error(
          ctx,
          [],
          "tree/reserved-name",
          `${JSON.stringify(attrPath[0])} is used by the generated tree itself; choose another name`,
        ),
      );
    }
    const place = PLACEMENT[v.kind];
    const prefixOk = place.prefix.every((p, i) => attrPath[i] === p);
    if (!prefixOk || attrPath.length !== place.depth) {
      const where =
        place.prefix.length === 0
          ? "packages/<name>.yaml"
          : `packages/${place.prefix.join("/")}/<name>.yaml`;
      diagnostics.push(
        error(
          ctx,
          ["kind"],
          "tree/misplaced",
          `a ${v.kind} descriptor must live at ${where}, found ${v.parsed.file.path}`,
        ),
      );
    }
  }
}

function toPackage(v: ValidDescriptor, ctx: Context): Package {
  const data = v.parsed.value as Data;
  const common = {
    attrPath: v.parsed.file.attrPath,
    source: v.parsed.file.path,
    description: (data.description as string | undefined) ?? null,
  };
  switch (v.kind) {
    case "application": {
      const source = (data.source as Data).github as Data;
      const go = (data.build as Data).go as Data;
      return {
        ...common,
        kind: "application",
        pname: data.pname as string,
        version: data.version as string,
        github: {
          owner: source.owner as string,
          repo: source.repo as string,
          rev: source.rev as string,
          sha256: source.sha256 as string,
        },
        go: {
          packagePath: go.packagePath as string,
          ldflags: (go.ldflags as string[] | undefined) ?? [],
        },
      };
    }
    case "pulledImage":
      return {
        ...common,
        kind: "pulledImage",
        imageName: data.imageName as string,
        imageTag: data.imageTag as string,
        sha256: data.sha256 as string,
      };
    case "dockerImage": {
      const fromImage =
        data.fromImage === undefined
          ? useDefaultParent(ctx)
          : wholeReference(data.fromImage as string, ["fromImage"], ctx);
      const services = (data.services as Data[]).map((s, i) => toService(s, ["services", i], ctx));
      checkServices(services, ctx);
      return {
        ...common,
        kind: "dockerImage",
        imageName: data.imageName as string,
        fromImage,
        services,
      };
    }
  }
}

function useDefaultParent(ctx: Context): PackageRef {
  const name = refName(DEFAULT_PARENT_IMAGE);
  if (!ctx.known.has(name)) {
    ctx.diagnostics.push(
      error(
        ctx,
        [],
        "ref/unknown",
        `the default parent image ${name} does not exist`,
        "add packages/dockerImages/pulled/kubernetesBaseImage.yaml or set fromImage",
      ),
    );
  }
  ctx.refs.push({ ref: DEFAULT_PARENT_IMAGE, path: [], text: "" });
  return DEFAULT_PARENT_IMAGE;
}

function toService(s: Data, path: FieldPath, ctx: Context): Service {
  const optional = (key: string) =>
    s[key] === undefined ? null : template(s[key] as string, [...path, key], ctx);
  return {
    name: s.name as string,
    command: template(s.command as string, [...path, "command"], ctx),
    user: (s.user as "nobody" | "root" | undefined) ?? "nobody",
    preStart: optional("preStart"),
    configFiles: ((s.configFiles as Data[] | undefined) ?? []).map((f, i) => ({
      destination: f.destination as string,
      template: template(f.template as string, [...path, "configFiles", i, "template"], ctx),
    })),
    environmentFile: (s.environmentFile as string | undefined) ?? null,
    chdir: optional("chdir"),
    oneShot: (s.oneShot as boolean | undefined) ?? false,
    after: (s.after as string[] | undefined) ?? [],
  };
}

/** Service names unique; `after` names existing, not the service itself, and without cycles. */
function checkServices(services: readonly Service[], ctx: Context): void {
  const names = services.map((s) => s.name);
  services.forEach((s, i) => {
    if (names.indexOf(s.name) !== i) {
      ctx.diagnostics.push(
        error(
          ctx,
          ["services", i, "name"],
          "service/duplicate",
          `service ${JSON.stringify(s.name)} is defined twice in this image`,
        ),
      );
    }
    s.after.forEach((dep, j) => {
      const path = ["services", i, "after", j];
      if (dep === s.name) {
        ctx.diagnostics.push(
          error(
            ctx,
            path,
            "service/after-self",
            `service ${JSON.stringify(s.name)} cannot start after itself`,
          ),
        );
      } else if (!names.includes(dep)) {
        const suggestion = didYouMean(dep, names);
        ctx.diagnostics.push(
          error(
            ctx,
            path,
            "service/unknown-after",
            `expected the name of a service of this image (${names.join(", ")}), found ${JSON.stringify(dep)}`,
            suggestion === undefined ? undefined : `did you mean "${suggestion}"?`,
          ),
        );
      }
    });
  });
  const cycle = findCycle(names, (n) => services.find((s) => s.name === n)?.after ?? []);
  if (cycle !== undefined) {
    const i = names.indexOf(cycle[0]!);
    ctx.diagnostics.push(
      error(
        ctx,
        ["services", i, "after"],
        "service/after-cycle",
        `services wait for each other in a cycle: ${cycle.join(" -> ")}`,
      ),
    );
  }
}

/** Parse `${{ ref }}` references in a descriptor string and check each one exists. */
function template(text: string, path: FieldPath, ctx: Context): Template {
  const parts: (string | PackageRef)[] = [];
  let literal = "";
  let last = 0;
  for (const match of text.matchAll(REFERENCE)) {
    literal += text.slice(last, match.index);
    last = match.index + match[0].length;
    if (match[0] === "$${{") {
      literal += "${{";
      continue;
    }
    if (match[1] === undefined) {
      ctx.diagnostics.push(
        error(
          ctx,
          path,
          "ref/unterminated",
          "expected `}}` to close the reference started by `${{`",
          "write $${{ for a literal ${{",
          "${{",
        ),
      );
      continue;
    }
    const name = match[1].trim();
    if (!ATTR_PATH.test(name)) {
      ctx.diagnostics.push(
        error(
          ctx,
          path,
          "ref/syntax",
          `expected an attribute path such as locksmith or pkgs.redis inside ${match[0]}`,
          undefined,
          match[0],
        ),
      );
      continue;
    }
    checkReference(name, path, match[0], ctx);
    if (literal !== "") parts.push(literal);
    literal = "";
    const ref = { ref: name.split(".") };
    ctx.refs.push({ ref, path, text: match[0] });
    parts.push(ref);
  }
  literal += text.slice(last);
  if (literal !== "") parts.push(literal);
  return parts;
}

/** A field that holds exactly one reference, e.g. `fromImage: ${{ dockerImages.pulled.x }}`. */
function wholeReference(text: string, path: FieldPath, ctx: Context): PackageRef {
  const parts = template(text, path, ctx);
  const only = parts[0];
  return parts.length === 1 && typeof only !== "string" && only !== undefined ? only : { ref: [] };
}

function checkReference(name: string, path: FieldPath, written: string, ctx: Context): void {
  if (name.startsWith("pkgs.")) return; // nixpkgs attributes are checked by Nix at evaluation
  if (ctx.known.has(name)) return;
  const isSet = [...ctx.known].some((k) => k.startsWith(`${name}.`));
  const message = isSet
    ? `${name} is a set of packages, not a package; reference one of its members`
    : `unknown package ${name}; expected a package of this set or pkgs.<name> for nixpkgs`;
  const suggestion = didYouMean(name, ctx.known);
  ctx.diagnostics.push(
    error(
      ctx,
      path,
      "ref/unknown",
      message,
      suggestion === undefined ? undefined : `did you mean \${{ ${suggestion} }}?`,
      written,
    ),
  );
}

/** Packages referring to each other in a loop cannot be built. */
function checkCycles(
  descriptors: readonly ValidDescriptor[],
  refs: ReadonlyMap<string, Context["refs"]>,
  diagnostics: Diagnostic[],
): void {
  const edges = (name: string) =>
    (refs.get(name) ?? []).map((r) => refName(r.ref)).filter((n) => refs.has(n));
  const cycle = findCycle([...refs.keys()].sort(), edges);
  if (cycle === undefined) return;
  const from = descriptors.find((v) => v.parsed.file.attrPath.join(".") === cycle[0])!;
  const written = refs.get(cycle[0]!)!.find((r) => refName(r.ref) === cycle[1]);
  diagnostics.push(
    error(
      { d: from.parsed },
      written?.path ?? [],
      "ref/cycle",
      `packages refer to each other in a cycle: ${cycle.join(" -> ")}`,
      undefined,
      written?.text || undefined,
    ),
  );
}

/** The first cycle found by depth-first search, as a closed path `a -> b -> a`. */
export function findCycle(
  nodes: readonly string[],
  edges: (node: string) => readonly string[],
): string[] | undefined {
  const state = new Map<string, "active" | "done">();
  const stack: string[] = [];
  const visit = (node: string): string[] | undefined => {
    if (state.get(node) === "done") return undefined;
    if (state.get(node) === "active") return [...stack.slice(stack.indexOf(node)), node];
    state.set(node, "active");
    stack.push(node);
    for (const next of edges(node)) {
      const found = visit(next);
      if (found !== undefined) return found;
    }
    stack.pop();
    state.set(node, "done");
    return undefined;
  };
  for (const node of nodes) {
    const found = visit(node);
    if (found !== undefined) return found;
  }
  return undefined;
}

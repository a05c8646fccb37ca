// Stages 1 to 5, load: discover -> parse -> expand and validate -> resolve, and the checks of the
// hand-written Nix files and the flake's pins; the resolved set with every diagnostic, in order.

import { compareDiagnostics, hasErrors, type Diagnostic } from "./diagnostics.ts";
import { emptyData, isMapping, own } from "./data.ts";
import { discover, PACKAGES_DIR, type Discovery } from "./discover.ts";
import type { Package, PackageSet } from "./model.ts";
import { parseFiles, type ParsedDescriptor } from "./parse.ts";
import { resolve } from "./resolve/index.ts";
import {
  checkModeline,
  validate,
  validateFragmentValue,
  type ValidDescriptor,
} from "./validate.ts";
import {
  Expander,
  FRAGMENT_TARGETS,
  type FragmentDescriptor,
  type FragmentTarget,
} from "./expand.ts";
import { checkNixSyntax } from "./nixcheck.ts";
import { checkFlakePins } from "./flake-pins.ts";

export interface LoadResult {
  readonly set?: PackageSet;
  /** Every package resolved, also when the set has errors (their fields may then be empty). */
  readonly packages: readonly Package[];
  /** Each package's references to other packages of the set (attribute paths). */
  readonly dependencies: ReadonlyMap<string, readonly string[]>;
  /** All problems found, in a stable order (file, line, column, code). */
  readonly diagnostics: readonly Diagnostic[];
  /** Text of every file a diagnostic points into, for code frames. */
  readonly sources: ReadonlyMap<string, string>;
  /** What the run could not do as it should, without a problem of the descriptors (the cache). */
  readonly warnings: readonly string[];
}

export interface LoadOptions {
  /** Check the hand-written .nix files with nix-instantiate (default true). */
  readonly nixCheck?: boolean;
}

/** The resolved package set and its diagnostics, without emitting anything. */
export async function loadPackageSet(
  root: string = process.cwd(),
  options: LoadOptions = {},
): Promise<LoadResult> {
  const discovery = await discover(root);
  const diagnostics: Diagnostic[] = [...discovery.diagnostics];
  const sources = new Map<string, string>();
  const parsed: ParsedDescriptor[] = [];
  const warnings: string[] = [];
  const results = await parseFiles(root, discovery.files, warnings);
  discovery.files.forEach((file, i) => {
    const result = results[i]!;
    if (result.text !== undefined) sources.set(file.path, result.text);
    diagnostics.push(...result.diagnostics);
    if (result.descriptor !== undefined) parsed.push(result.descriptor);
  });
  const fragmentNames = discovery.files
    .filter((f) => f.attrPath[0] === "fragments")
    .map((f) => f.attrPath.join("."));
  const valid = expandAndValidate(parsed, fragmentNames, diagnostics);
  const resolved = resolve(valid, {
    allPaths: discovery.files.map((f) => f.attrPath),
    nixFiles: discovery.nixFiles,
    nixFilesOfInvalid: nixFilesOfInvalid(discovery, parsed, valid),
  });
  diagnostics.push(...resolved.diagnostics);
  const flake = checkFlakePins(root, resolved.set?.pins ?? undefined);
  diagnostics.push(...flake.diagnostics);
  for (const [file, text] of flake.sources) sources.set(file, text);
  if (options.nixCheck !== false) {
    diagnostics.push(...(await checkNixSyntax(root, discovery.nixFiles)));
  }
  const unique = dedupe(diagnostics).sort(compareDiagnostics);
  // Only what a code frame shows is kept: a large set's texts would stay alive to the end.
  const pointedAt = new Set(unique.map((d) => d.file));
  for (const file of sources.keys()) if (!pointedAt.has(file)) sources.delete(file);
  const ok = !hasErrors(unique) && resolved.set !== undefined;
  const { packages, dependencies } = resolved;
  return ok
    ? { set: resolved.set, packages, dependencies, diagnostics: unique, sources, warnings }
    : { packages, dependencies, diagnostics: unique, sources, warnings };
}

/**
 * Fragments first (their envelope, then their value against their target), then every other
 * descriptor with its `extends` applied. A descriptor with a known kind is kept even when its
 * schema fails (resolve reports its other problems); one that extends a fragment with errors of
 * its own is not checked at all (it lacks that fragment's part), which one warning per fragment
 * says.
 */
function expandAndValidate(
  parsed: readonly ParsedDescriptor[],
  fragmentNames: readonly string[],
  diagnostics: Diagnostic[],
): ValidDescriptor[] {
  const isFragment = (d: ParsedDescriptor) => d.file.attrPath[0] === "fragments";
  const plain = (d: ParsedDescriptor) => new Expander([]).descriptor(d, undefined);
  const fragments: FragmentDescriptor[] = [];
  // Fragments that could not be read as fragments: their own errors say why.
  const broken = new Set<string>(fragmentNames);
  const misplaced: ValidDescriptor[] = [];
  for (const d of parsed.filter(isFragment)) {
    const checked = validate(plain(d));
    diagnostics.push(...checked.diagnostics);
    const name = d.file.attrPath.join(".");
    const data = d.value as { fragmentOf?: FragmentTarget; parameters?: object };
    const usable = checked.valid?.kind === "fragment" && checked.valid.invalidAt.length === 0;
    if (usable && data.fragmentOf !== undefined) {
      broken.delete(name);
      fragments.push({
        parsed: d,
        name,
        target: data.fragmentOf,
        parameters: Object.keys(data.parameters ?? {}),
      });
    } else if (checked.valid !== undefined && checked.valid.kind !== "fragment") {
      misplaced.push(checked.valid); // another kind under fragments/: resolve says where it goes
    }
  }
  const expander = new Expander(fragments, broken);
  const valid: ValidDescriptor[] = [...misplaced];
  const modeline = (v: ValidDescriptor) => {
    const problem = checkModeline(v.parsed, v.kind);
    if (problem !== undefined) diagnostics.push(problem);
  };
  for (const f of fragments) {
    const expanded = expander.fragment(f.name);
    if (expanded === undefined) continue;
    diagnostics.push(...validateFragmentValue(expanded, f.target));
    valid.push({ ...expanded, kind: "fragment", invalidAt: [] });
    modeline(valid[valid.length - 1]!);
  }
  const skipped = new Map<string, string[]>();
  for (const d of parsed.filter((x) => !isFragment(x))) {
    const kind = (d.value as { kind?: unknown } | null)?.kind;
    const target = FRAGMENT_TARGETS.find((t) => t === kind);
    const expanded = expander.descriptor(d, target);
    if (expanded.brokenFragments.length > 0) {
      for (const name of expanded.brokenFragments) {
        skipped.set(name, [...(skipped.get(name) ?? []), d.file.attrPath.join(".")]);
      }
      continue;
    }
    const checked = validate(expanded);
    diagnostics.push(...checked.diagnostics);
    if (checked.valid === undefined) continue;
    valid.push(checked.valid);
    modeline(checked.valid);
  }
  diagnostics.push(...expander.diagnostics);
  for (const [name, dependents] of skipped) diagnostics.push(dependentsSkipped(name, dependents));
  return valid;
}

/** One warning for the descriptors left unchecked because a fragment they extend is broken. */
function dependentsSkipped(fragment: string, dependents: readonly string[]): Diagnostic {
  const count = dependents.length;
  return {
    severity: "warning",
    code: "fragment/dependents-skipped",
    file: `${PACKAGES_DIR}/${fragment.replaceAll(".", "/")}.yaml`,
    line: 0,
    column: 0,
    length: 0,
    field: "",
    message: `${count === 1 ? "1 descriptor extends" : `${count} descriptors extend`} this fragment, which has errors; not checked until it is fixed: ${dependents.join(", ")}`,
  };
}

/**
 * The .nix files a descriptor that did not validate names in `nixFile` or `nixImports`, read
 * from its raw data; a descriptor that could not even be parsed may name any .nix file beside it.
 * Its own errors say what is wrong: its files are not reported as unused on top.
 */
function nixFilesOfInvalid(
  discovery: Discovery,
  parsed: readonly ParsedDescriptor[],
  valid: readonly ValidDescriptor[],
): Set<string> {
  const folder = (path: string) => path.slice(0, path.lastIndexOf("/"));
  const validPaths = new Set(valid.map((v) => v.parsed.file.path));
  const parsedPaths = new Set(parsed.map((d) => d.file.path));
  const files = new Set<string>();
  for (const d of parsed.filter((x) => !validPaths.has(x.file.path))) {
    const data = isMapping(d.value) ? d.value : emptyData();
    const names = [own(data, "nixFile"), ...asList(own(data, "nixImports"))];
    for (const name of names) {
      if (typeof name === "string")
        files.add(`${folder(d.file.path)}/${name.replace(/^\.\//, "")}`);
    }
  }
  const unparsedFolders = new Set(
    discovery.files.filter((f) => !parsedPaths.has(f.path)).map((f) => folder(f.path)),
  );
  for (const file of discovery.nixFiles) if (unparsedFolders.has(folder(file))) files.add(file);
  return files;
}

const asList = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/** A mistake inside a fragment is reported once, not once per descriptor that uses it. */
function dedupe(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = [d.file, d.line, d.column, d.code, d.message].join("\0");
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

// Helpers shared by the templates: references as Nix expressions, file headers, package files.

import { relative } from "node:path/posix";
import {
  nix,
  NixBuildError,
  type Binding,
  type Expr,
  type NixFile,
  type StringPart,
} from "../generator/nix/index.ts";
import type { NixCode, PackageRef, Pin, Template } from "../generator/model.ts";
import { factOf } from "../generator/nixpkgs-facts.ts";
import { GENERATED_BY, GENERATED_DIR } from "../generator/write.ts";

/** The `let` binding of an image's files: `${{ self.files.<key> }}` is `imageFiles.<key>`. */
export const IMAGE_FILES = "imageFiles";

const isImageFile = (r: PackageRef): boolean =>
  r.ref.length === 3 && r.ref[0] === "self" && r.ref[1] === "files";

/**
 * `dockerImages.pulled.kubernetesBaseImage` as a selection from the callPackage argument. A
 * nixpkgs name that nixpkgs has since renamed is looked up by its new name first, so the same
 * file works with the pinned nixpkgs and with a current one: `pkgs.pkg-config or pkgs.pkgconfig`.
 */
export function refExpr(r: PackageRef): Expr {
  if (isImageFile(r)) return nix.ref(`${IMAGE_FILES}.${r.ref[2]}`);
  const renamed =
    r.ref[0] === "pkgs" && r.ref.length > 1 ? factOf(r.ref[1]!, "current").renamedTo : undefined;
  if (renamed === undefined) return nix.ref(r.ref.join("."));
  return nix.select(nix.ident("pkgs"), [renamed, ...r.ref.slice(2)], nix.ref(r.ref.join(".")));
}

/** Template text as string parts, each reference an interpolation. */
export function textParts(t: Template): StringPart[] {
  return t.map((p) => (typeof p === "string" ? p : refExpr(p)));
}

/** The callPackage arguments a template's references need (their first names). */
export function refHeads(t: Template): string[] {
  return t.flatMap((p) =>
    typeof p === "string" ? [] : [isImageFile(p) ? IMAGE_FILES : p.ref[0]!],
  );
}

export function generatedHeader(sources: readonly string[]): string[] {
  return [
    `${GENERATED_BY}${sources.join(", ")}.`,
    "Do not edit: change the source and run `npm run generate`.",
  ];
}

/** A package file: a function of its callPackage arguments (sorted) returning `body`. */
export function packageFile(source: string, args: Iterable<string>, body: Expr): NixFile {
  const formals = [...new Set(args)].sort();
  // Templates name their `let` bindings apart from the arguments (templates/names.ts).
  const hidden = body.kind === "let" ? body.bindings.flatMap(boundNames) : [];
  const shadowing = hidden.find((name) => formals.includes(name));
  if (shadowing !== undefined) {
    throw new NixBuildError(`the let binding ${shadowing} would hide the argument ${shadowing}`);
  }
  return nix.file(generatedHeader([source]), nix.lambda({ formals }, body));
}

const boundNames = (b: Binding): string[] =>
  b.kind === "inherit" ? [...b.names] : typeof b.path[0] === "string" ? [b.path[0]] : [];

/**
 * The package file of a hand-written Nix file (a test's or a tool's): `callPackage <file>` with
 * the descriptor's arguments and `extra` bindings, passed through `wrap`. `filePath` is where the
 * package file is written, relative to generated/.
 */
export function nixCodeFile(
  source: string,
  code: NixCode,
  filePath: string,
  extra: Binding[] = [],
  wrap: (call: Expr) => Expr = (call) => call,
): NixFile {
  // From generated/<filePath> back to the repository's packages/.
  const fromDir = `${GENERATED_DIR}/${filePath}`.split("/").slice(0, -1).join("/");
  const target = relative(fromDir, code.nixFile);
  const body = nix.call(
    nix.ident("callPackage"),
    nix.path(target.startsWith(".") ? target : `./${target}`),
    nix.attrs([...code.arguments.map((a) => nix.bind([a.name], refExpr(a.value))), ...extra]),
  );
  return packageFile(
    source,
    ["callPackage", ...code.arguments.map((a) => a.value.ref[0]!)],
    wrap(body),
  );
}

/** `locksmith-worker` + `config.yaml` -> `locksmithWorkerConfigYaml`. */
export function camelName(...words: string[]): string {
  const pieces = words.flatMap((w) => w.split(/[^A-Za-z0-9]+/)).filter((p) => p !== "");
  const name = pieces
    .map((p, i) => (i === 0 ? p.toLowerCase() : p[0]!.toUpperCase() + p.slice(1).toLowerCase()))
    .join("");
  return /^[A-Za-z_]/.test(name) ? name : `_${name}`;
}

/** `fetchFromGitHub { owner; repo; rev; sha256; }` for a pinned GitHub archive. */
export function fetchFromGitHubExpr(pin: {
  owner: string;
  repo: string;
  rev: string;
  sha256: string;
}): Expr {
  const { owner, repo, rev, sha256 } = pin;
  return srcExpr({ type: "github", owner, repo, rev, sha256, name: null, branch: null });
}

/** The fetcher call for a source pin; `urls` gives a list (for `srcs`). */
export function srcExpr(pin: Pin): Expr {
  const call = (fetcher: string, fields: Record<string, string | boolean | null>) =>
    nix.call(
      nix.ident(fetcher),
      nix.attrs(
        Object.entries(fields).flatMap(([key, value]) =>
          value === null
            ? []
            : [nix.bind(key, typeof value === "boolean" ? nix.bool(value) : nix.string(value))],
        ),
      ),
    );
  switch (pin.type) {
    case "github":
      return call("fetchFromGitHub", {
        name: pin.name,
        owner: pin.owner,
        repo: pin.repo,
        rev: pin.rev,
        sha256: pin.sha256,
      });
    case "git":
      return call("fetchgit", { url: pin.url, rev: pin.rev, sha256: pin.sha256 });
    case "url":
      return call("fetchurl", { url: pin.url, sha256: pin.sha256 });
    case "zip":
      return call("fetchzip", {
        name: pin.name,
        url: pin.url,
        sha256: pin.sha256,
        stripRoot: pin.stripRoot ? null : false,
      });
    case "urls":
      return nix.list(pin.files.map((f) => call("fetchurl", { url: f.url, sha256: f.sha256 })));
  }
}

/** The nixpkgs fetcher a pin uses (a callPackage argument). */
export function fetcherOf(pin: Pin): string {
  const fetchers = {
    github: "fetchFromGitHub",
    git: "fetchgit",
    url: "fetchurl",
    zip: "fetchzip",
    urls: "fetchurl",
  } as const;
  return fetchers[pin.type];
}

/** Plain data (JSON-like) as a Nix value. */
export function dataExpr(value: unknown): Expr {
  if (value === null || value === undefined) return nix.null();
  if (typeof value === "string") return nix.string(value);
  if (typeof value === "boolean") return nix.bool(value);
  if (typeof value === "number") return Number.isInteger(value) ? nix.int(value) : nix.float(value);
  if (Array.isArray(value)) return nix.list(value.map(dataExpr));
  return nix.attrs(
    Object.keys(value as object)
      .sort()
      .map((k) => nix.bind([k], dataExpr((value as Record<string, unknown>)[k]))),
  );
}

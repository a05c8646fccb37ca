// A project folder holding a base package set that each test case changes and then restores,
// instead of copying a whole project per case: the corpus, the fuzzer and the CLI tests share it.
// Its generated/ is generated once from the base set.

import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { dirname, join } from "node:path";
import { generate, type Diagnostic } from "../generator/index.ts";
import { REPO } from "./helpers.ts";
import { tempDir } from "./temp.ts";

/** The small package set tests of the generator start from (every kind, fragments, a test). */
export const FIXTURE = join(REPO, "test/fixtures/reference");

/** Files by path relative to the project root; null deletes the file. */
export type Files = ReadonlyMap<string, Uint8Array | string | null>;

const show = (d: Diagnostic): string =>
  `${d.file}:${d.line}:${d.column}: ${d.severity}[${d.code}] ${d.message}`;

export class Workspace {
  /** generated/ as the base set produces it, by path. */
  private readonly baseOutputs = new Map<string, string>();
  private touched: string[] = [];

  private constructor(
    readonly root: string,
    readonly base: ReadonlyMap<string, Uint8Array>,
  ) {}

  /** A copy of `from` (packages/, and generated/ and docs/ when it has them), generated once. */
  static async create(from: string = FIXTURE, root: string = tempDir()): Promise<Workspace> {
    for (const dir of ["packages", "generated", "docs"]) {
      if (existsSync(join(from, dir))) {
        cpSync(join(from, dir), join(root, dir), { recursive: true });
      }
    }
    const files = new Map<string, Uint8Array>();
    const walk = (dir: string) => {
      for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
        const path = `${dir}/${entry.name}`;
        if (entry.isDirectory()) walk(path);
        else files.set(path, readFileSync(join(root, path)));
      }
    };
    walk("packages");
    const ws = new Workspace(root, files);
    const first = await generate({ root });
    if (!first.ok) {
      throw new Error(`the base set does not generate:\n${first.diagnostics.map(show).join("\n")}`);
    }
    for (const [path, text] of first.files) ws.baseOutputs.set(path, text);
    return ws;
  }

  /** Write the changed files (null deletes one) and make the symbolic links (path -> target). */
  apply(files: Files, symlinks: Readonly<Record<string, string>> = {}): void {
    for (const [path, content] of files) {
      this.touched.push(path);
      rmSync(join(this.root, path), { recursive: true, force: true });
      if (content === null) continue;
      mkdirSync(dirname(join(this.root, path)), { recursive: true });
      writeFileSync(join(this.root, path), content);
    }
    for (const [path, target] of Object.entries(symlinks)) {
      this.touched.push(path);
      mkdirSync(dirname(join(this.root, path)), { recursive: true });
      symlinkSync(target, join(this.root, path));
    }
  }

  /** Put packages/ back as the base set has it. */
  restore(): void {
    for (const path of this.touched.splice(0)) {
      rmSync(join(this.root, path), { recursive: true, force: true });
      const bytes = this.base.get(path);
      if (bytes === undefined) continue;
      mkdirSync(dirname(join(this.root, path)), { recursive: true });
      writeFileSync(join(this.root, path), bytes);
    }
    removeEmptyFolders(join(this.root, "packages"));
  }

  /** The outputs that differ from what the base set generates (the manifest aside). */
  differing(outputs: ReadonlyMap<string, string>): string[] {
    return [...outputs]
      .filter(([path, text]) => path !== ".manifest" && this.baseOutputs.get(path) !== text)
      .map(([path]) => path);
  }
}

function removeEmptyFolders(dir: string): boolean {
  let empty = true;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory() && removeEmptyFolders(join(dir, entry.name))) {
      rmSync(join(dir, entry.name), { recursive: true });
    } else empty = false;
  }
  return empty;
}

/**
 * The fixture set generated once, which fixtureProject copies; made again when the temporary
 * folders of an earlier test file were removed (modules outlive a file: vitest.config.ts).
 */
let generatedFixture: Promise<string> | undefined;

async function generateFixture(): Promise<string> {
  const root = tempDir("nixgen-fixture-");
  cpSync(join(FIXTURE, "packages"), join(root, "packages"), { recursive: true });
  const result = await generate({ root });
  if (!result.ok)
    throw new Error(
      `the fixture set does not generate: ${result.diagnostics.map(show).join("\n")}`,
    );
  return root;
}

/** A project of its own: a copy of the fixture set, generated/ and docs/ written. */
export async function fixtureProject(): Promise<string> {
  if (generatedFixture === undefined || !existsSync(await generatedFixture)) {
    generatedFixture = generateFixture();
  }
  const root = tempDir("nixgen-project-");
  cpSync(await generatedFixture, root, { recursive: true, verbatimSymlinks: true });
  return root;
}

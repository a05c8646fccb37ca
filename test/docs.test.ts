// The descriptor reference: field paths, types, $ref resolution and Markdown escaping, on small
// inline schemas, plus a smoke test on the real schemas/; the editor settings agree with where each
// kind lives.

import { readFileSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { renderDescriptorDocs, type KindDoc } from "../generator/docs.ts";
import { PRERENDERED_DOCS, renderDocs } from "../generator/index.ts";
import { schemasDigest } from "../generator/validators.ts";
import { isPlaced, KIND_SCHEMAS, KINDS, kindAt } from "../generator/kinds.ts";

type Schema = Record<string, unknown>;

const str = (title: string, example: string, extra: Schema = {}): Schema => ({
  title,
  description: `${title} description.`,
  type: "string",
  examples: [example],
  ...extra,
});

const kindOf = (properties: Schema, extra: Schema = {}): KindDoc => ({
  kind: "test",
  placement: "packages/tests/<name>.yaml",
  schema: {
    title: "Test kind",
    description: "A kind for tests.",
    type: "object",
    additionalProperties: false,
    properties,
    ...extra,
  },
});

const render = (properties: Schema, shared: Record<string, Schema> = {}, extra: Schema = {}) =>
  renderDescriptorDocs([kindOf(properties, extra)], shared);

/** Splits a table line into cells, keeping escaped pipes inside their cell. */
const cells = (line: string): string[] =>
  line
    .slice(2, -2)
    .split(/ \| /)
    .map((cell) => cell.trim());

/** The cells of the row of a field path, or undefined when the path has no row. */
const row = (markdown: string, path: string) => {
  const line = markdown.split("\n").find((l) => l.startsWith(`| \`${path}\` |`));
  if (line === undefined) return undefined;
  const [field, type, required, description, example] = cells(line);
  return { field, type, required, description, example };
};

const fieldPaths = (markdown: string): string[] =>
  markdown
    .split("\n")
    .filter((line) => line.startsWith("| `"))
    .map((line) => /^\| `([^`]+)` \|/.exec(line)?.[1] ?? "");

describe("renderDescriptorDocs", () => {
  it("renders the header, the table of contents and the kind section", () => {
    const md = render({ name: str("Name", "x") });
    expect(md.startsWith("# Descriptor reference\n")).toBe(true);
    expect(md).toContain("Generated from schemas/ by `npm run generate`; do not edit.");
    expect(md).toContain("- [Test kind (`kind: test`)](#test-kind-kind-test)");
    expect(md).toContain("## Test kind (`kind: test`)\n\nA kind for tests.\n");
    expect(md).toContain("Lives at: packages/tests/<name>.yaml");
    expect(md).toContain("| Field | Type | Required | Description | Example |");
  });

  it("lists nested object fields depth-first in property order", () => {
    const md = render(
      {
        source: {
          title: "Source",
          description: "Where from.",
          type: "object",
          required: ["github"],
          properties: {
            github: {
              title: "GitHub",
              description: "A repository.",
              type: "object",
              required: ["repo", "owner"],
              properties: { owner: str("Owner", "aevox"), repo: str("Repo", "tool") },
            },
          },
        },
        version: str("Version", "1.0"),
      },
      {},
      { required: ["version"] },
    );
    expect(fieldPaths(md)).toEqual([
      "source",
      "source.github",
      "source.github.owner",
      "source.github.repo",
      "version",
    ]);
    expect(row(md, "source")?.required).toBe("no");
    expect(row(md, "source.github")?.required).toBe("yes");
    expect(row(md, "source.github.owner")).toEqual({
      field: "`source.github.owner`",
      type: "string",
      required: "yes",
      description: "**Owner.** Owner description.",
      example: "`aevox`",
    });
    expect(row(md, "version")?.required).toBe("yes");
  });

  it("uses [] for the fields of array items and names the item type", () => {
    const md = render({
      services: {
        title: "Services",
        description: "Processes.",
        type: "array",
        minItems: 1,
        examples: [[{ name: "web" }]],
        items: {
          type: "object",
          required: ["name"],
          properties: {
            name: str("Name", "web"),
            configFiles: {
              title: "Files",
              description: "Templates.",
              type: "array",
              items: { type: "object", properties: { destination: str("Destination", "/run/x") } },
            },
            after: {
              title: "After",
              description: "Dependencies.",
              type: "array",
              items: { type: "string", pattern: "^[a-z]+$" },
            },
          },
        },
      },
    });
    expect(fieldPaths(md)).toEqual([
      "services",
      "services[].name",
      "services[].configFiles",
      "services[].configFiles[].destination",
      "services[].after",
    ]);
    expect(row(md, "services")?.type).toBe("list of object");
    expect(row(md, "services")?.description).toContain("At least 1 item.");
    expect(row(md, "services")?.example).toBe('`[{"name":"web"}]`');
    expect(row(md, "services[].name")?.required).toBe("yes");
    expect(row(md, "services[].after")?.type).toBe("list of string");
    expect(row(md, "services[].after")?.description).toContain("Each item: must match `^[a-z]+$`.");
  });

  it("renders maps with a <name> key and mentions key patterns", () => {
    const md = render({
      sections: {
        title: "Sections",
        description: "Named sections.",
        type: "object",
        additionalProperties: {
          type: "object",
          properties: { heading: str("Heading", "Intro") },
        },
      },
      labels: {
        title: "Labels",
        description: "Free labels.",
        type: "object",
        patternProperties: { "^[a-z]+$": { type: "string" } },
      },
    });
    expect(row(md, "sections")?.type).toBe("map of object");
    expect(row(md, "sections.<name>.heading")?.type).toBe("string");
    expect(row(md, "labels")?.type).toBe("map of string");
    expect(row(md, "labels")?.description).toContain("Keys must match `^[a-z]+$`.");
    expect(row(md, "labels.<name>")).toBeUndefined();
  });

  it("shows enums and consts as JSON values, with defaults", () => {
    const md = render({
      kind: { title: "Kind", description: "Selects.", const: "test", examples: ["test"] },
      user: str("User", "root", { enum: ["nobody", "root"], default: "nobody" }),
      oneShot: {
        title: "One-shot",
        description: "Once.",
        type: "boolean",
        default: false,
        examples: [true],
      },
    });
    expect(row(md, "kind")?.type).toBe('"test"');
    expect(row(md, "user")?.type).toBe('"nobody" \\| "root"');
    expect(row(md, "user")?.description).toContain("Default: `nobody`.");
    expect(row(md, "oneShot")?.description).toContain("Default: `false`.");
    expect(row(md, "oneShot")?.example).toBe("`true`");
  });

  it("resolves refs into shared files, letting the property's own keywords win", () => {
    const common: Schema = {
      $defs: {
        template: {
          title: "Template",
          description: "Text with references.",
          type: "string",
          minLength: 1,
          examples: ["${{ pkg }}/bin/x"],
        },
        // A local ref inside the shared file resolves against that file, not the kind.
        command: { $ref: "#/$defs/template", title: "Command" },
      },
    };
    const md = render(
      {
        plain: { $ref: "common.schema.json#/$defs/template" },
        chdir: {
          $ref: "common.schema.json#/$defs/template",
          description: "Working directory.",
          examples: ["/tmp"],
        },
        command: { $ref: "common.schema.json#/$defs/command" },
        local: { $ref: "#/$defs/port" },
      },
      { "common.schema.json": common },
      { $defs: { port: { title: "Port", description: "TCP port.", type: "integer", minimum: 1 } } },
    );
    expect(row(md, "plain")?.description).toBe(
      "**Template.** Text with references. At least 1 character.",
    );
    expect(row(md, "chdir")?.description).toBe(
      "**Template.** Working directory. At least 1 character.",
    );
    expect(row(md, "chdir")?.example).toBe("`/tmp`");
    expect(row(md, "command")?.description).toContain("**Command.** Text with references.");
    expect(row(md, "command")?.example).toBe("`${{ pkg }}/bin/x`");
    expect(row(md, "local")?.type).toBe("integer");
    expect(row(md, "local")?.description).toContain("At least 1.");
  });

  it("fails clearly on a ref it cannot resolve", () => {
    expect(() => render({ x: { $ref: "missing.schema.json#/$defs/x" } })).toThrow(
      /^kind test: cannot resolve \$ref "missing\.schema\.json#\/\$defs\/x": unknown file/,
    );
    expect(() => render({ x: { $ref: "#/$defs/nope" } })).toThrow(/nothing at \/\$defs\/nope/);
  });

  it("renders a recursive $def once, then refers to it by name", () => {
    const md = render(
      { tree: { $ref: "#/$defs/node", description: "The root." } },
      {},
      {
        $defs: {
          node: {
            title: "Node",
            description: "A tree node.",
            type: "object",
            properties: {
              label: str("Label", "a"),
              parent: { $ref: "#/$defs/node" },
              children: { title: "Children", type: "array", items: { $ref: "#/$defs/node" } },
            },
          },
        },
      },
    );
    expect(fieldPaths(md)).toEqual([
      "tree",
      "tree.label",
      "tree.parent",
      "tree.children",
      "tree.children[]",
    ]);
    expect(row(md, "tree.parent")?.description).toContain(
      "Same structure as `tree` (recursive `node`).",
    );
    expect(row(md, "tree.children[]")?.description).toContain("Same structure as `tree`");
    expect(row(md, "tree.children")?.type).toBe("list of node");
    expect(row(md, "tree.parent")?.type).toBe("object");
  });

  it("names a recursive ref in nested types instead of expanding it forever", () => {
    const md = render(
      {
        nested: { $ref: "#/$defs/nest" },
        wrapped: { type: "array", items: { $ref: "#/$defs/nest" } },
      },
      {},
      { $defs: { nest: { title: "Nested", type: "array", items: { $ref: "#/$defs/nest" } } } },
    );
    expect(row(md, "nested")?.type).toBe("list of nest");
    expect(row(md, "wrapped")?.type).toBe("list of list of nest");
    expect(fieldPaths(md)).toEqual(["nested", "nested[]", "wrapped", "wrapped[][]"]);
  });

  it("describes objects that take exactly one key", () => {
    const md = render({
      build: {
        title: "Build",
        description: "One builder.",
        type: "object",
        minProperties: 1,
        maxProperties: 1,
        properties: {
          go: { title: "Go", description: "Go.", type: "object" },
          rust: { title: "Rust", description: "Rust.", type: "object" },
        },
      },
    });
    expect(row(md, "build")?.description).toContain("Exactly one of: `go`, `rust`.");
    expect(fieldPaths(md)).toEqual(["build", "build.go", "build.rust"]);
  });

  it("renders oneOf alternatives with their titles and types", () => {
    const md = render({
      source: {
        title: "Source",
        description: "Where from.",
        oneOf: [
          { title: "URL", type: "string" },
          {
            title: "Git",
            type: "object",
            properties: { rev: str("Revision", "v1") },
          },
        ],
      },
    });
    expect(row(md, "source")?.type).toBe("string \\| object");
    expect(row(md, "source")?.description).toContain("One of: URL (string), Git (object).");
    expect(row(md, "source.rev")?.description).toMatch(/^For Git \(object\): \*\*Revision\.\*\*/);
  });

  it("escapes pipes and flattens newlines in table cells", () => {
    const md = render({
      mode: {
        title: "Mode",
        description: "Either a | b.\nSecond line.",
        type: "string",
        pattern: "^(a|b)$",
        examples: ["a|b"],
      },
    });
    const line = md.split("\n").find((l) => l.startsWith("| `mode` |"));
    expect(line).toBe(
      "| `mode` | string | no | **Mode.** Either a \\| b. Second line. Must match `^(a\\|b)$`. | `a\\|b` |",
    );
    // Every table line has exactly the six column separators.
    for (const tableLine of md.split("\n").filter((l) => l.startsWith("|"))) {
      expect(tableLine.match(/(?<!\\)\|/g)).toHaveLength(6);
    }
  });

  it("truncates long examples and JSON-encodes non-strings", () => {
    const long = "x".repeat(100);
    const md = render({
      long: str("Long", long),
      multi: str("Multi", "a\nb"),
      list: { title: "List", description: "L.", type: "array", examples: [[1, 2]] },
    });
    const example = row(md, "long")?.example ?? "";
    expect(example).toBe(`\`${"x".repeat(59)}…\``);
    expect(Array.from(example.slice(1, -1))).toHaveLength(60);
    expect(row(md, "multi")?.example).toBe('`"a\\nb"`');
    expect(row(md, "list")?.example).toBe("`[1,2]`");
  });

  it("renders the top-level example as YAML, with block scalars for multi-line strings", () => {
    const example = {
      kind: "test",
      name: "web",
      script: "echo a\necho b\n",
      note: "y".repeat(120),
    };
    const withExample = render({ name: str("Name", "web") }, {}, { examples: [example] });
    expect(withExample).toContain(
      [
        "### Complete example",
        "",
        "```yaml",
        "kind: test",
        "name: web",
        "script: |",
        "  echo a",
        "  echo b",
        `note: ${"y".repeat(120)}`,
        "```",
      ].join("\n"),
    );
    const without = render({ name: str("Name", "web") });
    expect(without).not.toContain("Complete example");
    expect(without).not.toContain("```yaml");
  });

  it("is deterministic, ends with one newline and has no trailing spaces", () => {
    const properties = {
      a: str("A", "x"),
      b: { title: "B", description: "Empty example.", type: "string", examples: [""] },
    };
    const example = { a: "trailing  \nblank\n" };
    const first = render(properties, {}, { examples: [example] });
    const second = render(properties, {}, { examples: [example] });
    expect(first).toBe(second);
    expect(first.endsWith("\n")).toBe(true);
    expect(first.endsWith("\n\n")).toBe(false);
    expect(first.split("\n").filter((line) => /[ \t]$/.test(line))).toEqual([]);
  });

  it("renders the real schemas with every top-level property", () => {
    const dir = fileURLToPath(new URL("../schemas/", import.meta.url));
    const shared: Record<string, Schema> = {};
    for (const file of readdirSync(dir).filter((f) => f.endsWith(".schema.json"))) {
      shared[file] = JSON.parse(readFileSync(`${dir}${file}`, "utf8")) as Schema;
    }
    const kinds: KindDoc[] = Object.entries(shared).flatMap(([file, schema]) => {
      const properties = schema.properties as Record<string, Schema> | undefined;
      const kind = properties?.kind?.const;
      return typeof kind === "string" ? [{ kind, placement: `packages/<${file}>`, schema }] : [];
    });
    expect(kinds.length).toBeGreaterThan(0);
    const md = renderDescriptorDocs(kinds, shared);
    for (const kind of kinds) {
      expect(md).toContain(`(\`kind: ${kind.kind}\`)`);
      const start = md.indexOf(`## ${String(kind.schema.title)} (\`kind: ${kind.kind}\`)`);
      expect(start).toBeGreaterThanOrEqual(0);
      const section = md.slice(start).split(/\n## /)[0] ?? "";
      for (const name of Object.keys(kind.schema.properties as Schema)) {
        expect(row(section, name), `${kind.kind}.${name}`).toBeDefined();
      }
    }
  });
});

describe("the editor settings", () => {
  const settings = JSON.parse(
    readFileSync(fileURLToPath(new URL("../.vscode/settings.json", import.meta.url)), "utf8"),
  ) as { "yaml.schemas": Record<string, string[]> };
  const mapped = Object.entries(settings["yaml.schemas"]);
  /** A descriptor path a glob matches: `*` and `**` as one name. */
  const sample = (glob: string) =>
    glob
      .replace(/^packages\//, "")
      .replace(/\.yaml$/, "")
      .replaceAll("**", "x")
      .replaceAll("*", "x")
      .split("/");

  it("maps each schema to the folders where its kind lives, and to no other", () => {
    for (const [schema, globs] of mapped) {
      const kind = KINDS.find((k) => `./schemas/${KIND_SCHEMAS[k]}` === schema);
      expect(kind, schema).toBeDefined();
      for (const glob of globs) {
        expect(kindAt(sample(glob)), glob).toBe(kind);
        expect(isPlaced(kind!, sample(glob)), glob).toBe(true);
      }
    }
  });

  it("maps every kind that has a folder of its own (the others are told by their $schema line)", () => {
    const withFolder = KINDS.filter((k) => k !== "application" && k !== "contrailPackageSet");
    const schemas = mapped.map(([schema]) => schema);
    expect(withFolder.map((k) => `./schemas/${KIND_SCHEMAS[k]}`).sort()).toEqual(schemas.sort());
  });
});

describe("the README's table of diagnostic codes", () => {
  const root = fileURLToPath(new URL("..", import.meta.url));
  const CODE =
    /"((?:path|yaml|schema|ref|fragment|dependency|service|config|image|debian|contrail|test|nixfile|tree|generated|internal)\/[a-z0-9-]+)"/g;

  it("names every code the generator emits, or its family (`service/*`)", () => {
    const readme = readFileSync(`${root}README.md`, "utf8");
    const section = readme.slice(readme.indexOf("## Diagnostic codes"));
    const documented = new Set(
      [...section.matchAll(/`([a-z]+\/(?:[a-z0-9-]+|\*))`/g)].map((m) => m[1]!),
    );
    const sources = ["generator", "templates"].flatMap((dir) =>
      readdirSync(`${root}${dir}`, { recursive: true, encoding: "utf8" })
        .filter((f) => f.endsWith(".ts"))
        .map((f) => readFileSync(`${root}${dir}/${f}`, "utf8")),
    );
    const emitted = new Set(sources.flatMap((text) => [...text.matchAll(CODE)].map((m) => m[1]!)));
    expect(emitted.size).toBeGreaterThan(50);
    const missing = [...emitted].filter(
      (code) => !documented.has(code) && !documented.has(`${code.split("/")[0]}/*`),
    );
    expect(missing).toEqual([]);
  });
});

describe("the reference the build renders", () => {
  it("is what the sources render, for the schemas it names (built by the suite's setup)", () => {
    const stored = JSON.parse(readFileSync(PRERENDERED_DOCS, "utf8")) as {
      schemas: string;
      text: string;
    };
    expect(stored.schemas).toBe(schemasDigest());
    expect(stored.text).toBe(renderDocs());
  });
});

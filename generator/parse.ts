// Stage 2, parse: read a descriptor as YAML 1.2, keeping the source ranges of every node so later
// stages can point at the exact line and column of a problem.

import { readFile } from "node:fs/promises";
import {
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  visit,
  type Document,
} from "yaml";
import type { Diagnostic } from "./diagnostics.ts";
import type { DescriptorFile } from "./discover.ts";

export const MAX_DESCRIPTOR_BYTES = 1024 * 1024;
/** Bound on alias expansion, against "billion laughs" documents. */
export const MAX_ALIAS_COUNT = 100;

export interface ParsedDescriptor {
  readonly file: DescriptorFile;
  /** The decoded text (without BOM), as shown in code frames. */
  readonly text: string;
  readonly doc: Document.Parsed;
  readonly lineCounter: LineCounter;
  /** The plain data of the document. */
  readonly value: unknown;
}

export interface ParseResult {
  readonly descriptor?: ParsedDescriptor;
  readonly text?: string;
  readonly diagnostics: readonly Diagnostic[];
}

export async function parseFile(root: string, file: DescriptorFile): Promise<ParseResult> {
  return parseBytes(file, await readFile(`${root}/${file.path}`));
}

export function parseBytes(file: DescriptorFile, bytes: Uint8Array): ParseResult {
  const fileError = (code: string, message: string): ParseResult => ({
    diagnostics: [
      {
        severity: "error",
        code,
        file: file.path,
        line: 0,
        column: 0,
        length: 0,
        field: "",
        message,
      },
    ],
  });
  if (bytes.length > MAX_DESCRIPTOR_BYTES) {
    return fileError("yaml/too-large", `expected at most 1 MiB, found ${bytes.length} bytes`);
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return fileError("yaml/invalid-utf8", "expected UTF-8 text, found invalid byte sequences");
  }
  const nul = text.indexOf("\0");
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const at = (offset: number, length: number, code: string, message: string): Diagnostic => {
    const { line, col } = lineCounter.linePos(offset);
    return {
      severity: "error",
      code,
      file: file.path,
      line,
      column: col,
      length,
      field: "",
      message,
    };
  };
  if (nul >= 0) {
    return { text, diagnostics: [at(nul, 1, "yaml/nul-byte", "expected text, found a NUL byte")] };
  }
  // Only the first syntax error of a file is reported: the following ones are usually its echoes.
  const diagnostics = [...doc.errors, ...doc.warnings]
    .slice(0, 1)
    .map((e) =>
      at(
        e.pos[0],
        Math.max(1, e.pos[1] - e.pos[0]),
        `yaml/${e.code.toLowerCase().replaceAll("_", "-")}`,
        yamlMessage(e.message),
      ),
    );
  if (diagnostics.length > 0) return { text, diagnostics };
  const alias = unresolvedAlias(doc);
  if (alias !== undefined) {
    const [start, end] = alias.range;
    return {
      text,
      diagnostics: [
        at(
          start,
          end - start,
          "yaml/unresolved-alias",
          `expected an anchor &${alias.source} defined before this alias, found none`,
        ),
      ],
    };
  }
  if (doc.contents === null) {
    return fileError(
      "yaml/empty",
      "expected a descriptor mapping with a kind, found an empty file",
    );
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    // A bound exceeded by the document as a whole: no single place to point at.
    return {
      text,
      diagnostics: fileError(
        "yaml/alias-limit",
        `expected aliases to expand to at most ${MAX_ALIAS_COUNT} nodes: ${String((error as Error).message)}`,
      ).diagnostics,
    };
  }
  return { text, descriptor: { file, text, doc, lineCounter, value }, diagnostics: [] };
}

/** The first alias whose anchor is not defined before it. */
function unresolvedAlias(
  doc: Document.Parsed,
): { source: string; range: [number, number] } | undefined {
  let found: { source: string; range: [number, number] } | undefined;
  const anchors = new Set<string>();
  visit(doc, {
    Node(_key, node) {
      if (node.anchor !== undefined) anchors.add(node.anchor);
    },
    Alias(_key, node) {
      if (found === undefined && !anchors.has(node.source)) {
        const range = node.range ?? [0, 1];
        found = { source: node.source, range: [range[0], range[1]] };
      }
    },
  });
  return found;
}

/** The yaml library's message without its trailing position text. */
function yamlMessage(message: string): string {
  return message.replace(/ at line \d+, column \d+.*$/s, "").trim();
}

export type FieldPath = readonly (string | number)[];

/** Source offsets [start, end) of a node: the key of a mapping entry (`key`) or its value. */
export function rangeOf(
  d: ParsedDescriptor,
  path: FieldPath,
  which: "key" | "value" = "value",
): [number, number] {
  const rangeOfNode = (n: unknown) => (n as { range?: number[] } | null | undefined)?.range;
  let node: unknown = d.doc.contents;
  let range = rangeOfNode(node);
  for (let i = 0; i < path.length; i++) {
    const segment = path[i]!;
    if (isMap(node)) {
      const pair = node.items.find(
        (p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(segment),
      );
      if (pair === undefined) break;
      if (i === path.length - 1 && which === "key") {
        range = rangeOfNode(pair.key);
        break;
      }
      node = pair.value;
      range = rangeOfNode(node) ?? rangeOfNode(pair.key);
    } else if (isSeq(node) && typeof segment === "number" && node.items[segment] !== undefined) {
      node = node.items[segment];
      range = rangeOfNode(node);
    } else break;
  }
  const start = range?.[0] ?? 0;
  return [start, range?.[1] ?? start + 1];
}

/** Line, column and underline length (kept on one line) of a source range. */
export function positionAt(d: ParsedDescriptor, start: number, end: number) {
  const { line, col } = d.lineCounter.linePos(start);
  const lineEnd = d.text.indexOf("\n", start);
  const length = Math.max(1, Math.min(end, lineEnd < 0 ? end : lineEnd) - start);
  return { line, column: col, length };
}

/** Line, column and length of a node, for diagnostics. */
export function positionOf(d: ParsedDescriptor, path: FieldPath, which: "key" | "value" = "value") {
  const [start, end] = rangeOf(d, path, which);
  return positionAt(d, start, end);
}

/** Position of `needle` written literally inside the node at `path`, else of the node itself. */
export function positionOfText(d: ParsedDescriptor, path: FieldPath, needle: string) {
  const [start, end] = rangeOf(d, path);
  const found = d.text.slice(start, end).indexOf(needle);
  return found < 0
    ? positionAt(d, start, end)
    : positionAt(d, start + found, start + found + needle.length);
}

/** Dotted rendering of a field path: `services[0].user`. */
export function fieldName(path: FieldPath): string {
  return path.map((s, i) => (typeof s === "number" ? `[${s}]` : i === 0 ? s : `.${s}`)).join("");
}

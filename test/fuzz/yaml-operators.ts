// Operators on the YAML structure of a descriptor: delete, rename or duplicate keys and items,
// swap types, write weird strings in every style, huge numbers, prototype names, a node from
// another descriptor, aliases and merge keys.

import {
  Alias,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  Scalar,
  visit,
  type Document,
  type Node,
  type Pair,
  type YAMLMap,
  type YAMLSeq,
} from "yaml";
import { KEYWORDS } from "../../generator/nix/index.ts";
import { pick, PROTO_NAMES, type Mutable, type Step } from "./plan.ts";

const NUMBERS: readonly (number | bigint)[] = [
  2 ** 53,
  2 ** 53 + 2,
  2n ** 63n,
  -(2n ** 64n),
  12345678901234567890n,
  1e308,
  1e-320,
  Infinity,
  -Infinity,
  Number.NaN,
  -0,
  0.1,
  -1,
  0,
];

interface Located {
  readonly node: Node;
  readonly path: readonly (string | number)[];
}

/** Every node of a document that is a value (not a key), with its path, in document order. */
function nodesOf(doc: Document): Located[] {
  const found: Located[] = [];
  visit(doc, {
    Node(key, node, ancestors) {
      if (key !== "key") found.push({ node: node as Node, path: pathOf(ancestors, node) });
    },
  });
  return found;
}

/** The data path of a node from its ancestors (map keys, sequence indices). */
function pathOf(ancestors: readonly unknown[], node: unknown): (string | number)[] {
  const path: (string | number)[] = [];
  const chain = [...ancestors, node];
  for (let i = 1; i < chain.length; i++) {
    const parent = chain[i - 1];
    const child = chain[i];
    if (isSeq(parent)) path.push(parent.items.indexOf(child as Node));
    else if (isPair(child) && isScalar(child.key)) path.push(String(child.key.value));
  }
  return path;
}

const pairsOf = (doc: Document): { map: YAMLMap; index: number }[] =>
  nodesOf(doc).flatMap(({ node }) =>
    isMap(node) ? node.items.map((_, index) => ({ map: node, index })) : [],
  );

const stringScalars = (doc: Document): Located[] =>
  nodesOf(doc).filter(({ node }) => isScalar(node) && typeof node.value === "string");

/** Values a node may be swapped for, by kind. */
function otherValue(doc: Document, n: number, text: string): Node {
  const values: unknown[] = [
    "",
    0,
    -1,
    1.5,
    true,
    null,
    {},
    [],
    { x: 1 },
    ["a"],
    text,
    { [text]: text },
    [text, text],
  ];
  return doc.createNode(pick(values, n)) as Node;
}

function styledString(text: string, n: number): Scalar {
  const scalar = new Scalar(text);
  scalar.type = pick(
    [
      Scalar.PLAIN,
      Scalar.QUOTE_DOUBLE,
      Scalar.QUOTE_SINGLE,
      Scalar.BLOCK_LITERAL,
      Scalar.BLOCK_FOLDED,
    ] as const,
    n,
  );
  return scalar;
}

/** Replace the node at `target` (a value in a map or sequence) by `value`. */
function replaceNode(doc: Document, target: Node, value: Node): boolean {
  let done = false;
  visit(doc, {
    Pair(_key, pair) {
      if (!done && pair.value === target) {
        pair.value = value;
        done = true;
      }
    },
    Seq(_key, seq) {
      const i = seq.items.indexOf(target);
      if (!done && i >= 0) {
        seq.items[i] = value;
        done = true;
      }
    },
  });
  if (!done && doc.contents === target) {
    doc.contents = value as Document["contents"];
    done = true;
  }
  return done;
}

/** Apply one step of the document kind; false when it found nothing to change. */
export function applyToDocument(m: Mutable, step: Step): boolean {
  const found = m.yaml(step.a);
  if (found === undefined) return false;
  const { path, doc } = found;
  const nodes = nodesOf(doc);
  const finish = (wrote?: readonly (string | number)[]) => {
    let text: string;
    try {
      text = String(doc);
    } catch {
      return false; // the library does not write some documents (an alias before its anchor)
    }
    m.setText(path, text);
    if (wrote !== undefined) m.written.push({ file: path, path: wrote });
    return true;
  };
  switch (step.op) {
    case "delete-key": {
      const pairs = pairsOf(doc);
      if (pairs.length === 0) return false;
      const { map, index } = pick(pairs, step.b);
      map.items.splice(index, 1);
      return finish();
    }
    case "rename-key": {
      const pairs = pairsOf(doc);
      if (pairs.length === 0) return false;
      const { map, index } = pick(pairs, step.b);
      const pair = map.items[index]!;
      const old = isScalar(pair.key) ? String(pair.key.value) : "";
      const names = [
        ...PROTO_NAMES,
        ...KEYWORDS,
        step.text,
        `${old}x`,
        old.slice(1),
        "kind",
        "extends",
        "<<",
      ];
      pair.key = new Scalar(pick(names, step.c));
      return finish();
    }
    case "duplicate-key": {
      const pairs = pairsOf(doc);
      if (pairs.length === 0) return false;
      const { map, index } = pick(pairs, step.b);
      map.items.splice(index + 1, 0, map.items[index]!.clone() as Pair);
      return finish();
    }
    case "duplicate-item": {
      const seqs = nodes.filter(({ node }) => isSeq(node) && node.items.length > 0);
      if (seqs.length === 0) return false;
      const seq = pick(seqs, step.b).node as YAMLSeq;
      const i = step.c % seq.items.length;
      const item = seq.items[i] as Node;
      seq.items.splice(i + 1, 0, item.clone());
      return finish();
    }
    case "swap-type": {
      if (nodes.length === 0) return false;
      const { node, path: at } = pick(nodes, step.b);
      const value = otherValue(doc, step.c, step.text);
      if (!replaceNode(doc, node, value)) return false;
      return finish(isScalar(value) && typeof value.value === "string" ? at : undefined);
    }
    case "set-string": {
      const scalars = nodes.filter(({ node }) => isScalar(node));
      if (scalars.length === 0) return false;
      const { node, path: at } = pick(scalars, step.b);
      if (!replaceNode(doc, node, styledString(step.text, step.c))) return false;
      return finish(at);
    }
    case "splice-string":
    case "splice-text": {
      // Free text (commands, scripts, templates) holds spaces or line breaks.
      const all = stringScalars(doc);
      const text = all.filter(({ node }) => /\s/.test((node as Scalar<string>).value));
      const scalars = step.op === "splice-text" ? text : all;
      if (scalars.length === 0) return false;
      const { node, path: at } = pick(scalars, step.b);
      const value = (node as Scalar<string>).value;
      const cut = step.c % (value.length + 1);
      const spliced = styledString(value.slice(0, cut) + step.text + value.slice(cut), step.c);
      if (!replaceNode(doc, node, spliced)) return false;
      return finish(at);
    }
    case "huge-number": {
      const scalars = nodes.filter(({ node }) => isScalar(node));
      if (scalars.length === 0) return false;
      const { node } = pick(scalars, step.b);
      return replaceNode(doc, node, doc.createNode(pick(NUMBERS, step.c)) as Node) && finish();
    }
    case "proto-key": {
      const maps = nodes.filter(({ node }) => isMap(node));
      if (maps.length === 0) return false;
      const map = pick(maps, step.b).node as YAMLMap;
      map.items.push(doc.createPair(pick(PROTO_NAMES, step.c), otherValue(doc, step.a, step.text)));
      return finish();
    }
    case "transplant": {
      const other = m.yaml(step.a + step.c + 1);
      const maps = nodes.filter(({ node }) => isMap(node));
      if (other === undefined || maps.length === 0) return false;
      const donors = nodesOf(other.doc).filter(({ node }) => !isAlias(node));
      if (donors.length === 0) return false;
      const donor = pick(donors, step.c).node;
      const map = pick(maps, step.b).node as YAMLMap;
      const keys = map.items.map((p) => (isScalar(p.key) ? String(p.key.value) : "x"));
      const key = keys.length > 0 ? pick(keys, step.c) : "x";
      map.set(key, donor.clone());
      return finish();
    }
    case "anchor-alias": {
      if (nodes.length < 2) return false;
      const source = pick(nodes, step.b).node;
      const target = pick(nodes, step.c).node;
      if (source === target || isAlias(source)) return false;
      source.anchor = "fuzz";
      return replaceNode(doc, target, new Alias("fuzz")) && finish();
    }
    case "merge-key": {
      const maps = nodes.filter(({ node }) => isMap(node));
      if (maps.length < 2) return false;
      const source = pick(maps, step.b).node;
      const target = pick(maps, step.c).node as YAMLMap;
      if (source === target) return false;
      source.anchor = "base";
      target.items.unshift(doc.createPair("<<", new Alias("base")));
      return finish();
    }
    default:
      return false;
  }
}

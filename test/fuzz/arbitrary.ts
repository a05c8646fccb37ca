// The plans the fuzzer tries: one to three steps, string steps more often than the others (most
// fields are checked by the schema; free text is where escaping can go wrong), and strings made of
// the pieces that matter to YAML, Nix and the shell, cut and joined at random.

import fc from "fast-check";
import { OPERATORS, type Plan, type Step } from "./mutate.ts";

const PIECES = [
  "\0",
  "${",
  "${{",
  "}}",
  "$${{",
  "${x}",
  "''",
  "'''",
  "''${",
  "'",
  '"',
  "\\",
  "\\0",
  "\\n",
  "\u2028",
  "\u2029",
  "\u0085",
  "\r",
  "\n",
  "\r\n",
  "\t",
  " ",
  "  ",
  "$",
  "{",
  "}",
  "#",
  ": ",
  "- ",
  "%",
  "&a ",
  "*a",
  "!!str ",
  "<<",
  "`",
  "\uFEFF",
  "é",
  "𝄞",
  "${{ pkgs.bash }}",
  "${{ args.x }}",
  "x",
];

export const weirdString: fc.Arbitrary<string> = fc.oneof(
  {
    arbitrary: fc.array(fc.constantFrom(...PIECES), { maxLength: 8 }).map((a) => a.join("")),
    weight: 6,
  },
  { arbitrary: fc.string({ unit: "binary", maxLength: 16 }), weight: 2 },
  {
    arbitrary: fc.constantFrom("x".repeat(5000), "'".repeat(101), `${"$".repeat(33)}{`),
    weight: 1,
  },
);

const operator = fc.oneof(
  {
    arbitrary: fc.constantFrom<Step["op"]>("set-string", "splice-string", "splice-text"),
    weight: 4,
  },
  { arbitrary: fc.constantFrom(...OPERATORS), weight: 4 },
);

export const step: fc.Arbitrary<Step> = fc.record({
  op: operator,
  a: fc.nat(999),
  b: fc.nat(999),
  c: fc.nat(999),
  text: weirdString,
});

export const plan: fc.Arbitrary<Plan> = fc.array(step, { minLength: 1, maxLength: 3 });

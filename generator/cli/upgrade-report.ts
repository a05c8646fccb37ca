// `nixgen upgrade-report`: which attributes of the set stop under a current nixpkgs, and why
// (nixpkgs/facts.json). Text, JSON, or the Markdown table the README shows. Exit 0 whatever it
// finds: it reports on the future, `check` is about the pinned nixpkgs.

import { loadPackageSet } from "../index.ts";
import {
  describeCause,
  expectedMessage,
  upgradeReport,
  type UpgradeReport,
} from "../upgrade-report.ts";
import { EXIT } from "./exit.ts";
import { out } from "./output.ts";
import { projectRoot } from "./root.ts";

export type ReportFormat = "text" | "json" | "markdown";

export async function runUpgradeReport(flags: {
  root?: string;
  format: ReportFormat;
}): Promise<number> {
  const root = projectRoot(flags.root);
  const loaded = await loadPackageSet(root, { nixCheck: false });
  if (loaded.set === undefined) {
    out("the set has errors; run `nixgen check` first");
    return EXIT.failed;
  }
  const report = upgradeReport(root, loaded.packages);
  if (flags.format === "json") out(JSON.stringify(jsonOf(report), null, 2));
  else if (flags.format === "markdown") out(markdownTable(report));
  else for (const line of textOf(report)) out(line);
  return EXIT.ok;
}

function jsonOf(r: UpgradeReport) {
  return {
    pinned: r.pinned,
    current: r.current,
    stops: r.stops.map((s) => ({
      attribute: s.attribute,
      descriptor: s.source,
      causes: s.causes.map((c) =>
        c.kind === "digest"
          ? { kind: c.kind, image: c.image, message: expectedMessage(c) }
          : { kind: c.kind, nixpkgs: c.attribute, ...c.fact, expected: expectedMessage(c) },
      ),
      through: s.through,
    })),
    works: r.attributes.filter((a) => !r.stops.some((s) => s.attribute === a)),
    renamed: r.renamed,
  };
}

function textOf(r: UpgradeReport): string[] {
  const lines = [
    `Under ${r.current.label} (${r.current.nix}), ${r.stops.length} of ${r.attributes.length} attributes stop:`,
  ];
  for (const s of r.stops) {
    const why = [
      ...s.causes.map(describeCause),
      ...(s.through.length > 0 ? [`uses ${s.through.join(", ")}`] : []),
    ];
    lines.push(`  ${s.attribute}: ${why.join("; ")}`);
  }
  for (const n of r.renamed) {
    lines.push(
      `pkgs.${n.attribute} is pkgs.${n.renamedTo} in a current nixpkgs; the generated files use whichever the nixpkgs has (${n.usedBy.join(", ")})`,
    );
  }
  lines.push(
    `Everything else works with both; the pinned nixpkgs is ${r.pinned.label} (${r.pinned.nix}).`,
  );
  return lines;
}

/** The README table: one row per attribute that needs the pinned nixpkgs, then the rest. */
export function markdownTable(r: UpgradeReport): string {
  const rows = [`| attribute | with ${r.current.label} (${r.current.nix}) |`, "| --- | --- |"];
  for (const s of r.stops) {
    const why = [
      ...s.causes.map(describeCause),
      ...(s.through.length > 0 ? [`uses ${s.through.map((t) => `\`${t}\``).join(", ")}`] : []),
    ];
    rows.push(`| \`${s.attribute}\` | stops: ${why.join("; ").replaceAll("|", "\\|")} |`);
  }
  const works = r.attributes.filter((a) => !r.stops.some((s) => s.attribute === a));
  rows.push(`| the other ${works.length} attributes | work (${r.pinned.label}: ${r.pinned.nix}) |`);
  return rows.join("\n");
}

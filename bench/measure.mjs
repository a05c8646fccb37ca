// Runs nixgen in this process and records, when it exits, its peak memory (max RSS, KiB) in the
// file named by the first argument: the benchmark's way to measure a child without other tools.
//   node bench/measure.mjs <rss-file> <nixgen arguments...>
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const [rssFile, ...args] = process.argv.slice(2);
const bin = fileURLToPath(new URL("../bin/nixgen.mjs", import.meta.url));
process.on("exit", () => writeFileSync(rssFile, String(process.resourceUsage().maxRSS)));
process.argv = [process.argv[0], bin, ...args];
await import(bin);

// The `fluentd.conf` of a Docker image whose services ship their logs through the fluentd embedded
// in the image (reference: docker-images.md §3.5). Pure text: the caller writes it to the store
// file `fluentd.conf` and adds the `fluentd` service that reads it.
//
// Layout, byte for byte as the original printed it: the forward source fluentd is probed on, one
// source per participating service, each service's filters (a blank line before each block), the
// generic_metadata filter every image gets, then the forward output.
//
// The model holds directives as the descriptor wrote them (the resolve stage copies the YAML data), so the
// plugin type is under the key `type`; the schema forbids `@` in keys, so `@type` never occurs.

import type { FluentdDirective, FluentdValue, Service } from "../generator/model.ts";

/** Port of the forward source; the services' pre-start waits on it (§3.2). */
const FORWARD_PORT = 24225;

/** The source the wait-for of §3.2 probes; first in the file so it starts with fluentd itself. */
const FORWARD_SOURCE = [
  "# used to check that fluentd is initialized",
  "<source>",
  "  @type forward",
  `  port ${FORWARD_PORT}`,
  "</source>",
].join("\n");

/** Adds the image metadata to every event; applied after each service's own filters. */
const DEFAULT_FILTER = ["<filter>", "  @type generic_metadata", "</filter>"].join("\n");

/** Sends every log event on to the cluster's fluentd; fixed, so written out with its own indent. */
const OUTPUT = [
  "<match log.**>",
  "  @type forward",
  "  time_as_integer true",
  "  <server>",
  "    name local",
  "    host fluentd.localdomain",
  "  </server>",
  "</match>",
].join("\n");

/** The plugin type of the service's source, or null when it has none (not participating). */
function sourceType(service: Service): string | null {
  const type = service.fluentd?.source["type"];
  return typeof type === "string" ? type : null;
}

/** Whether the service ships its logs through fluentd (§3.1): its source has a type. */
export function participates(service: Service): boolean {
  return sourceType(service) !== null;
}

/** Whether the service's stdout+stderr are teed into the named pipe /tmp/<name> (§3.2). */
export function capturesStdout(service: Service): boolean {
  return sourceType(service) === "stdout";
}

/** Tag of a service's events when its source or filter does not give one. */
const defaultTag = (service: Service): string => `log.${service.name}`;

/**
 * The source as rendered: a `stdout` source becomes the named pipe the command is teed into
 * (its path is fixed by the tee, so a given `path` does not win); every source gets a tag.
 */
function renderedSource(service: Service, source: FluentdDirective): FluentdDirective {
  const tag = source["tag"] ?? defaultTag(service);
  if (source["type"] !== "stdout") return { ...source, tag };
  return {
    ...source,
    type: "named_pipe",
    path: `/tmp/${service.name}`,
    format: source["format"] ?? "none",
    tag,
  };
}

/** Nix attribute order: plain code-unit comparison, not locale order (`_` sorts before letters). */
const compareKeys = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** fluentd spells the plugin key `@type`; descriptors write `type`, and it sorts as `type`. */
const printedKey = (key: string): string => (key === "type" ? "@type" : key);

/** Distinguishes repeated sub-sections from the other values (`Array.isArray` loses readonly). */
function isSectionList(value: FluentdValue): value is readonly FluentdDirective[] {
  return Array.isArray(value);
}

/** Integers print in decimal and booleans as true/false, which is what String gives. */
const scalarText = (value: string | number | boolean): string => String(value);

/** The lines of a directive's keys, sorted; nesting keeps the same two-space indent. */
function attributeLines(directive: FluentdDirective, omit: string | null = null): string[] {
  return Object.entries(directive)
    .filter(([key]) => key !== omit)
    .sort(([a], [b]) => compareKeys(a, b))
    .flatMap(([key, value]) => valueLines(key, value));
}

/** One key: a scalar line, a nested `<key>` section, or that section once per list element. */
function valueLines(key: string, value: FluentdValue): string[] {
  if (isSectionList(value)) return value.flatMap((element) => sectionLines(key, element));
  if (typeof value === "object") return sectionLines(key, value);
  return [`  ${printedKey(key)} ${scalarText(value)}`];
}

/** A nested section; its lines are not indented further, as the original printed them. */
function sectionLines(key: string, directive: FluentdDirective): string[] {
  const name = printedKey(key);
  return [`  <${name}>`, ...attributeLines(directive), `  </${name}>`];
}

/** A top-level block: opening line, attribute lines, closing line. */
const block = (open: string, lines: readonly string[], close: string): string =>
  [open, ...lines, close].join("\n");

/** The `<source>` of one participating service. */
function sourceBlock(service: Service, source: FluentdDirective): string {
  return block("<source>", attributeLines(renderedSource(service, source)), "</source>");
}

/** One filter: its tag goes in the opening line (default the service's tag), not as a key. */
function filterBlock(service: Service, filter: FluentdDirective): string {
  const tag = filter["tag"];
  const pattern = typeof tag === "string" ? tag : defaultTag(service);
  return block(`<filter ${pattern}>`, attributeLines(filter, "tag"), "</filter>");
}

/**
 * The fluentd.conf of an image, for its participating services in service order (services
 * without fluentd are skipped). Only meaningful when at least one service participates.
 */
export function renderFluentdConf(services: readonly Service[]): string {
  const sources: string[] = [];
  const filters: string[] = [];
  for (const service of services) {
    if (service.fluentd === null || !participates(service)) continue;
    sources.push(sourceBlock(service, service.fluentd.source));
    for (const filter of service.fluentd.filters) filters.push(filterBlock(service, filter));
  }
  // Sources follow each other directly; every filter block, the default one included, is
  // preceded by an empty line; the file ends with one newline.
  const head = [FORWARD_SOURCE, ...sources].join("\n");
  const tail = [...filters, DEFAULT_FILTER].map((f) => `\n${f}`).join("\n");
  return `${head}\n${tail}\n${OUTPUT}\n`;
}

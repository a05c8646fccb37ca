// The Nix AST library: builders, the printer and the layout document it renders through.
export type * from "./ast.ts";
export { nix, isIdentifier, NixBuildError, KEYWORDS } from "./builders.ts";
export { printNix, type PrintOptions } from "./printer.ts";

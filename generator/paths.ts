// Where a package set keeps what the generator reads and writes, relative to the project root.

/** The descriptors and hand-written .nix files. */
export const PACKAGES_DIR = "packages";
/** The generated tree. */
export const GENERATED_DIR = "generated";
/** The descriptor reference, generated from the schemas. */
export const DOCS_PATH = "docs/descriptors.md";
/** The catalog of images, generated from the set. */
export const CATALOG_PATH = "docs/catalog.md";
/** The lock, staging folders and the previous tree of a run all start so, in the project root. */
export const RUN_FILES_PREFIX = ".generated.";

// Types of bundle.mjs, for the TypeScript that imports it (test/global-setup.ts).
export declare const BUNDLE: string;
export declare function bundleIsFresh(): boolean;

/** Builds console/ into dist/console unless the build is newer than every source. */
export function buildConsole(options?: { quiet?: boolean; force?: boolean }): void;

// `npm start [-- flags]`: builds if any source is newer than the build, then runs `herald start`.
import { buildHerald, HERALD_MAIN } from "./build-herald.mjs";

// The collection contract is compiled with solc-js; a no-op when its sources are unchanged.
const { buildContracts } = await import("./build-contracts.mjs");
await buildContracts({ quiet: true });
// The console's single-page app, served at /console; a no-op when its sources are unchanged.
const { buildConsole } = await import("./build-console.mjs");
buildConsole({ quiet: true });
// Herald itself, compiled to dist/ when any source is newer than the build.
buildHerald();

process.argv = [process.argv[0], HERALD_MAIN, "start", ...process.argv.slice(2)];
await import(HERALD_MAIN);

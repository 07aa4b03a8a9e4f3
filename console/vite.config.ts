import { fileURLToPath } from "node:url";
import { resolve } from "node:path";
import { defineConfig } from "vitest/config";

// Paths are resolved from this file so the build works from any working directory
// (`npx vite build --config console/vite.config.ts` from the repository root).
const here = fileURLToPath(new URL(".", import.meta.url));

export default defineConfig({
  root: here,
  // Herald serves the build under /console/ (deep links fall back to index.html).
  base: "/console/",
  // No React plugin: Vite's built-in esbuild compiles TSX with the automatic JSX runtime.
  esbuild: { jsx: "automatic" },
  build: {
    outDir: resolve(here, "../dist/console"),
    // The output is outside `root`, so Vite only empties it when told to.
    emptyOutDir: true,
    sourcemap: true,
  },
  test: {
    root: here,
    environment: "jsdom",
    include: ["src/**/*.test.tsx"],
    setupFiles: ["src/test/setup.ts"],
  },
});

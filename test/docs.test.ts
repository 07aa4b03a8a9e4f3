import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { SETTINGS } from "../src/config.js";

const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");

test("the README documents every setting with its flag", () => {
  for (const setting of SETTINGS) {
    const row = new RegExp(`\\|\\s*\`${setting.env}\`\\s*\\|\\s*\`${setting.flag}\`\\s*\\|`);
    assert.match(readme, row, `${setting.env} is missing`);
  }
});

test("the README's quick start is the two commands CI runs", () => {
  assert.match(readme, /npm ci && npm start/);
  assert.match(readme, /npm ci && npm test/);
  const ci = readFileSync(new URL("../.ci/run", import.meta.url), "utf8");
  assert.match(ci, /npm ci\nnpm test\n/);
});

import type { Command } from "commander";
import { loadMasterKey, openStore, requireMasterKey } from "../app.js";
import type { Page } from "../core/interfaces.js";
import type { PageRequest } from "../core/ports/store.js";
import { ProjectService } from "../core/webhooks/projects.js";
import { HeraldError } from "../core/errors.js";
import { ConfigError } from "../config.js";
import { configOrExit, fail } from "./context.js";

type Flags = Record<string, string | undefined>;

async function withProjects<T>(
  flags: Flags,
  run: (projects: ProjectService) => Promise<T>,
): Promise<T> {
  const config = configOrExit(flags);
  const store = openStore(config);
  try {
    await store.migrate();
    // Original secrets are sealed: the store's master key is needed, as for `herald start`.
    // Generated only for the embedded store (its data dir is the key's home); on PostgreSQL a
    // key made here would become the database's and lock out the servers that have theirs.
    const box = await requireMasterKey(
      store,
      loadMasterKey(config, { generate: config.databaseUrl === null }),
    );
    return await run(new ProjectService(store, box));
  } catch (error) {
    if (error instanceof HeraldError || error instanceof ConfigError) fail(error.message);
    throw error;
  } finally {
    await store.close();
  }
}

const print = (line: string) => process.stdout.write(line + "\n");

/** Every item of a cursor-paginated list, page by page. */
async function* allPages<T>(fetch: (page: PageRequest) => Promise<Page<T>>): AsyncGenerator<T> {
  let cursor: string | undefined;
  do {
    const page = await fetch({ limit: 250, cursor });
    yield* page.data;
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
}

/** `herald projects …` and `herald keys …`: tenants and their API keys, straight in the store. */
export function registerProjectCommands(
  program: Command,
  withSettings: (c: Command) => Command,
): void {
  const projects = program.command("projects").description("manage projects (tenants)");
  withSettings(
    projects.command("create <name>").description("create a project and print its first API key"),
  ).action((name: string, flags: Flags) =>
    withProjects(flags, async (p) => {
      const { project, apiKey, original } = await p.create(name);
      print(`project ${project.name} (${project.id})`);
      print(`API key (shown only this once): ${apiKey}`);
      if (original) {
        print(`Original API key: ${original.apiKey}`);
        print(`Original API secret (shown only this once): ${original.apiSecret}`);
      }
    }),
  );
  withSettings(projects.command("list").description("list projects")).action((flags: Flags) =>
    withProjects(flags, async (p) => {
      for await (const project of allPages((page) => p.list(page)))
        print(`${project.id}  ${project.name}`);
    }),
  );

  const keys = program.command("keys").description("manage a project's API keys");
  withSettings(keys.command("list <project>").description("list keys (prefixes only)")).action(
    (project: string, flags: Flags) =>
      withProjects(flags, async (p) => {
        const { id } = await p.resolve(project);
        for await (const key of allPages((page) => p.listKeys(id, page))) {
          const state = key.revokedAt
            ? `revoked ${new Date(key.revokedAt).toISOString()}`
            : "active";
          print(`${key.id}  ${key.prefix}…  ${key.name ?? ""}  ${state}`);
        }
      }),
  );
  withSettings(
    keys
      .command("create <project>")
      .description("create a key and print it once")
      .option("--name <name>", "a label"),
  ).action((project: string, flags: Flags & { name?: string }) =>
    withProjects(flags, async (p) => {
      const { id } = await p.resolve(project);
      const { key, apiKey } = await p.createKey(id, flags.name ?? null);
      print(`key ${key.id}: ${apiKey}`);
    }),
  );
  withSettings(keys.command("revoke <project> <keyId>").description("revoke a key")).action(
    (project: string, keyId: string, flags: Flags) =>
      withProjects(flags, async (p) => {
        const { id } = await p.resolve(project);
        await p.revokeKey(id, keyId);
        print(`revoked ${keyId}`);
      }),
  );
}

import type { Command } from "commander";
import { openStore } from "../app.js";
import { ProjectService } from "../core/projects.js";
import { HeraldError } from "../core/errors.js";
import { configOrExit, fail } from "./context.js";

type Flags = Record<string, string | undefined>;

async function withProjects<T>(
  flags: Flags,
  run: (projects: ProjectService) => Promise<T>,
): Promise<T> {
  const store = openStore(configOrExit(flags));
  try {
    await store.migrate();
    return await run(new ProjectService(store));
  } catch (error) {
    if (error instanceof HeraldError) fail(error.message);
    throw error;
  } finally {
    await store.close();
  }
}

const print = (line: string) => process.stdout.write(line + "\n");

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
      const { project, apiKey } = await p.create(name);
      print(`project ${project.name} (${project.id})`);
      print(`API key (shown only this once): ${apiKey}`);
    }),
  );
  withSettings(projects.command("list").description("list projects")).action((flags: Flags) =>
    withProjects(flags, async (p) => {
      for (const project of await p.list()) print(`${project.id}  ${project.name}`);
    }),
  );

  const keys = program.command("keys").description("manage a project's API keys");
  withSettings(keys.command("list <project>").description("list keys (prefixes only)")).action(
    (project: string, flags: Flags) =>
      withProjects(flags, async (p) => {
        const { id } = await p.resolve(project);
        for (const key of await p.listKeys(id)) {
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

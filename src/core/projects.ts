import type { PageRequest, Store } from "../store/store.js";
import { conflict, invalid, notFound } from "./errors.js";
import { apiKeyPrefix, generateApiKey, hashApiKey, newId } from "./ids.js";
import type { ApiKey, Page, Project } from "./interfaces.js";

export const DEFAULT_PROJECT = "default";
const PROJECT_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}$/;

function newKeyRecord(projectId: string, key: string, name: string | null, now: number) {
  return {
    id: newId(),
    projectId,
    hash: hashApiKey(key),
    prefix: apiKeyPrefix(key),
    name,
    createdAt: now,
  };
}

/** Tenants and their API keys. Keys are shown once, at creation, and stored only as hashes. */
export class ProjectService {
  constructor(
    private readonly store: Store,
    private readonly now: () => number = Date.now,
  ) {}

  async create(
    name: string,
    key: string = generateApiKey(),
  ): Promise<{ project: Project; apiKey: string }> {
    if (!PROJECT_NAME.test(name)) {
      throw invalid(
        "name must be 1-63 letters, digits, '_', '.' or '-', starting with a letter or digit",
      );
    }
    if (await this.store.getProjectByName(name))
      throw conflict(`a project named "${name}" already exists`);
    const project: Project = { id: newId(), name, createdAt: this.now() };
    await this.store.createProject(
      project,
      newKeyRecord(project.id, key, "initial", project.createdAt),
    );
    return { project, apiKey: key };
  }

  /**
   * Makes sure the `default` project exists and, when `apiKey` is given, that this key opens
   * it. Returns a newly generated key only when one had to be made.
   */
  async ensureDefault(apiKey?: string): Promise<{ project: Project; generatedKey: string | null }> {
    const existing = await this.store.getProjectByName(DEFAULT_PROJECT);
    if (!existing) {
      const { project, apiKey: key } = await this.create(DEFAULT_PROJECT, apiKey);
      return { project, generatedKey: apiKey ? null : key };
    }
    if (apiKey) {
      const found = await this.store.findApiKeyByHash(hashApiKey(apiKey));
      if (found && found.projectId !== existing.id) {
        throw new Error("HERALD_API_KEY already belongs to another project");
      }
      if (!found)
        await this.store.createApiKey(
          newKeyRecord(existing.id, apiKey, "HERALD_API_KEY", this.now()),
        );
    }
    return { project: existing, generatedKey: null };
  }

  async authenticate(apiKey: string): Promise<string | null> {
    const key = await this.store.findApiKeyByHash(hashApiKey(apiKey));
    return key ? key.projectId : null;
  }

  list(page: PageRequest): Promise<Page<Project>> {
    return this.store.listProjects(page);
  }

  async resolve(idOrName: string): Promise<Project> {
    const project =
      (await this.store.getProject(idOrName)) ?? (await this.store.getProjectByName(idOrName));
    if (!project) throw notFound("project");
    return project;
  }

  async createKey(
    projectId: string,
    name: string | null,
  ): Promise<{ key: ApiKey; apiKey: string }> {
    const apiKey = generateApiKey();
    const record = newKeyRecord(projectId, apiKey, name, this.now());
    await this.store.createApiKey(record);
    return { key: { ...record, revokedAt: null }, apiKey };
  }

  listKeys(projectId: string, page: PageRequest): Promise<Page<ApiKey>> {
    return this.store.listApiKeys(projectId, page);
  }

  async revokeKey(projectId: string, keyId: string): Promise<void> {
    if (!(await this.store.revokeApiKey(projectId, keyId, this.now()))) throw notFound("API key");
  }
}

import type { PageRequest, Store } from "../ports/store.js";
import { conflict, invalid, notFound } from "../errors.js";
import { apiKeyPrefix, generateApiKey, hashApiKey, hashRequest, newId } from "../runtime/ids.js";
import type { ApiKey, Page, Project } from "../interfaces.js";
import type { SecretBox } from "../runtime/secret-box.js";

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
  /** `box` seals a new key for an Idempotency-Key replay; without it those keys are refused. */
  constructor(
    private readonly store: Store,
    private readonly box: SecretBox | null = null,
    private readonly now: () => number = Date.now,
  ) {}

  /** A retried request with the same Idempotency-Key gets the same answer, key included. */
  private idempotency(idempotencyKey: string | undefined, request: unknown, apiKey: string) {
    if (idempotencyKey === undefined) return undefined;
    if (!this.box) throw invalid("Idempotency-Key is not supported here");
    return {
      key: idempotencyKey,
      requestHash: hashRequest(request),
      sealedResponse: this.box.seal(apiKey),
    };
  }

  private replayedKey(
    result: { kind: string; value?: { sealedKey: string | null } },
    fresh: string,
  ) {
    return result.kind === "replayed" && result.value?.sealedKey
      ? this.box!.open(result.value.sealedKey)
      : fresh;
  }

  async create(
    name: string,
    key: string = generateApiKey(),
    idempotencyKey?: string,
  ): Promise<{ project: Project; apiKey: string; replayed: boolean }> {
    if (!PROJECT_NAME.test(name)) {
      throw invalid(
        "name must be 1-63 letters, digits, '_', '.' or '-', starting with a letter or digit",
      );
    }
    const project: Project = { id: newId(), name, createdAt: this.now() };
    const result = await this.store.createProject(
      project,
      newKeyRecord(project.id, key, "initial", project.createdAt),
      this.idempotency(idempotencyKey, { name }, key),
    );
    if (result.kind === "conflict") {
      throw conflict("Idempotency-Key was already used with a different request");
    }
    return {
      project: result.value.project,
      apiKey: this.replayedKey(result, key),
      replayed: result.kind === "replayed",
    };
  }

  /**
   * Makes sure the `default` project exists and, when `apiKey` is given, that this key opens
   * it. Returns a newly generated key only when one had to be made.
   */
  /** Several processes may start at once on one database: whichever creates the project or
   * the key first wins, and the others find it. */
  async ensureDefault(apiKey?: string): Promise<{ project: Project; generatedKey: string | null }> {
    let existing = await this.store.getProjectByName(DEFAULT_PROJECT);
    if (!existing) {
      try {
        const { project, apiKey: key } = await this.create(DEFAULT_PROJECT, apiKey);
        return { project, generatedKey: apiKey ? null : key };
      } catch (error) {
        existing = await this.store.getProjectByName(DEFAULT_PROJECT);
        if (!existing) throw error;
      }
    }
    if (apiKey) await this.ensureKey(existing.id, apiKey);
    return { project: existing, generatedKey: null };
  }

  private async ensureKey(projectId: string, apiKey: string): Promise<void> {
    const owner = async () => (await this.store.findApiKeyByHash(hashApiKey(apiKey)))?.projectId;
    let found = await owner();
    if (!found) {
      try {
        await this.store.createApiKey(
          newKeyRecord(projectId, apiKey, "HERALD_API_KEY", this.now()),
        );
        return;
      } catch (error) {
        found = await owner();
        if (!found) throw error;
      }
    }
    if (found !== projectId) throw new Error("HERALD_API_KEY already belongs to another project");
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
    idempotencyKey?: string,
  ): Promise<{ key: ApiKey; apiKey: string; replayed: boolean }> {
    const apiKey = generateApiKey();
    const record = newKeyRecord(projectId, apiKey, name, this.now());
    const result = await this.store.createApiKey(
      record,
      this.idempotency(idempotencyKey, { projectId, name }, apiKey),
    );
    if (result.kind === "conflict") {
      throw conflict("Idempotency-Key was already used with a different request");
    }
    return {
      key: result.value.key,
      apiKey: this.replayedKey(result, apiKey),
      replayed: result.kind === "replayed",
    };
  }

  listKeys(projectId: string, page: PageRequest): Promise<Page<ApiKey>> {
    return this.store.listApiKeys(projectId, page);
  }

  async revokeKey(projectId: string, keyId: string): Promise<void> {
    if (!(await this.store.revokeApiKey(projectId, keyId, this.now()))) throw notFound("API key");
  }
}

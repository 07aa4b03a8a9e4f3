import type { PageRequest, Store } from "../ports/store.js";
import { conflict, invalid, notFound } from "../errors.js";
import { apiKeyPrefix, generateApiKey, hashApiKey, hashRequest, newId } from "../runtime/ids.js";
import {
  DEFAULT_APP_SETTINGS,
  type ApiKey,
  type AppSettings,
  type Page,
  type Project,
} from "../interfaces.js";
import type { SecretBox } from "../runtime/secret-box.js";
import {
  generateOriginalKeyPair,
  keyPairProblem,
  OriginalKeys,
  originalKeyRecord,
  type OriginalKeyPair,
} from "../original/keys.js";

export const DEFAULT_PROJECT = "default";

interface CreatedKeys {
  apiKey: string;
  original: OriginalKeyPair | null;
}
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
  /** `box` seals Original secrets, and a new key for an Idempotency-Key replay. */
  constructor(
    private readonly store: Store,
    private readonly box: SecretBox,
    private readonly now: () => number = Date.now,
  ) {}

  /** A retried request with the same Idempotency-Key gets the same answer, keys included. */
  private idempotency(idempotencyKey: string | undefined, request: unknown, response: string) {
    if (idempotencyKey === undefined) return undefined;
    return {
      key: idempotencyKey,
      requestHash: hashRequest(request),
      sealedResponse: this.box.seal(response),
    };
  }

  private replayed(result: { kind: string; value?: { sealedKey: string | null } }, fresh: string) {
    return result.kind === "replayed" && result.value?.sealedKey
      ? this.box.open(result.value.sealedKey)
      : fresh;
  }

  /** A project, its first API key and its first Original key pair (all generated unless given). */
  async create(
    name: string,
    key: string = generateApiKey(),
    idempotencyKey?: string,
    original: OriginalKeyPair = generateOriginalKeyPair(),
    settings: Partial<AppSettings> = {},
  ): Promise<{
    project: Project;
    apiKey: string;
    original: OriginalKeyPair | null;
    replayed: boolean;
  }> {
    if (!PROJECT_NAME.test(name)) {
      throw invalid(
        "name must be 1-63 letters, digits, '_', '.' or '-', starting with a letter or digit",
      );
    }
    const problem = keyPairProblem(original);
    if (problem) throw invalid(problem);
    const project: Project = {
      id: newId(),
      name,
      createdAt: this.now(),
      region: settings.region ?? DEFAULT_APP_SETTINGS.region,
      environment: settings.environment ?? DEFAULT_APP_SETTINGS.environment,
    };
    const keys: CreatedKeys = { apiKey: key, original };
    const result = await this.store.createProject(
      project,
      newKeyRecord(project.id, key, "initial", project.createdAt),
      this.idempotency(idempotencyKey, { name, ...settings }, JSON.stringify(keys)),
      originalKeyRecord(this.box, project.id, original, project.createdAt),
    );
    if (result.kind === "conflict") {
      throw conflict("Idempotency-Key was already used with a different request");
    }
    const answered = this.replayed(result, JSON.stringify(keys));
    return {
      project: result.value.project,
      // A project created before Original key pairs existed replays its API key alone.
      ...(answered.startsWith("{")
        ? (JSON.parse(answered) as CreatedKeys)
        : { apiKey: answered, original: null }),
      replayed: result.kind === "replayed",
    };
  }

  /**
   * Makes sure the `default` project exists and, when `apiKey` (or an Original pair) is given,
   * that it opens it. Returns newly generated keys only when they had to be made.
   * Several processes may start at once on one database: whichever creates the project or
   * the key first wins, and the others find it.
   */
  async ensureDefault(
    apiKey?: string,
    original?: OriginalKeyPair,
  ): Promise<{
    project: Project;
    generatedKey: string | null;
    generatedOriginal: OriginalKeyPair | null;
  }> {
    let existing = await this.store.getProjectByName(DEFAULT_PROJECT);
    if (!existing) {
      try {
        const created = await this.create(DEFAULT_PROJECT, apiKey, undefined, original);
        return {
          project: created.project,
          generatedKey: apiKey ? null : created.apiKey,
          generatedOriginal: original ? null : created.original,
        };
      } catch (error) {
        existing = await this.store.getProjectByName(DEFAULT_PROJECT);
        if (!existing) throw error;
      }
    }
    if (apiKey) await this.ensureKey(existing.id, apiKey);
    if (original)
      await new OriginalKeys(this.store, this.box).ensure(existing.id, original, this.now());
    return { project: existing, generatedKey: null, generatedOriginal: null };
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

  /** Changes what Original's payloads say of the app (events published from now on). */
  async changeSettings(projectId: string, settings: Partial<AppSettings>): Promise<Project> {
    const changed = await this.store.updateProjectSettings(projectId, settings);
    if (!changed) throw notFound("project");
    return changed;
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
      apiKey: this.replayed(result, apiKey),
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

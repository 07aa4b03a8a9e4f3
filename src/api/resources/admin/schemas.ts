import { Type } from "@sinclair/typebox";
import { Nullable, Timestamp, named, pageOf } from "../shared.js";

// The operator's routes: tenants (projects) and their API keys.

const AppSetting = (what: string, example: string) =>
  Type.String({
    minLength: 1,
    maxLength: 32,
    pattern: "^[A-Za-z0-9][A-Za-z0-9 _.-]*$",
    description: `Original's \`app.${what}\` in this project's events (e.g. ${example})`,
  });
const appSettings = {
  region: Type.Optional(AppSetting("region", "EU")),
  environment: Type.Optional(AppSetting("environment", "Development, Production")),
};

export const CreateProjectBody = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 63 }), ...appSettings },
  { additionalProperties: false },
);

export const ChangeProjectBody = Type.Object(appSettings, {
  additionalProperties: false,
  minProperties: 1,
});

export const CreateKeyBody = Type.Union([
  Type.Object(
    { name: Type.Optional(Type.String({ maxLength: 100 })) },
    { additionalProperties: false },
  ),
  Type.Null(),
]);

export const ProjectParams = Type.Object({
  projectId: Type.String({ minLength: 1, maxLength: 100, description: "The id or the name" }),
});
export const KeyParams = Type.Object({
  projectId: Type.String({ maxLength: 100, description: "The id or the name" }),
  keyId: Type.String({ maxLength: 100 }),
});

const projectFields = {
  id: Type.String(),
  name: Type.String(),
  createdAt: Timestamp,
  region: Type.String(),
  environment: Type.String(),
};

export const Project = named("Project", Type.Object(projectFields));

export const ProjectCreated = named(
  "ProjectCreated",
  Type.Object({
    ...projectFields,
    apiKey: Type.String({ description: "The project's first API key, shown this once" }),
    original: Nullable(
      Type.Object(
        { apiKey: Type.String(), apiSecret: Type.String() },
        {
          description:
            "The project's Original-style key pair for /original/v1, the secret shown this once " +
            "(null only when replaying a project created before key pairs existed)",
        },
      ),
    ),
  }),
);

export const OriginalKeyInfo = named(
  "OriginalKeyInfo",
  Type.Object({
    id: Type.String(),
    prefix: Type.String({ description: "The key's first characters, to recognise it" }),
    createdAt: Timestamp,
    revokedAt: Nullable(Timestamp),
  }),
);
export const OriginalKeyPage = pageOf(OriginalKeyInfo);
export const OriginalKeyCreated = named(
  "OriginalKeyCreated",
  Type.Object({
    id: Type.String(),
    prefix: Type.String(),
    apiKey: Type.String({ description: "X-Api-Key for /original/v1" }),
    apiSecret: Type.String({ description: "Signs the access tokens (HS256); shown this once" }),
  }),
);

export const ApiKey = named(
  "ApiKey",
  Type.Object({
    id: Type.String(),
    prefix: Type.String({ description: "The key's first characters, to recognise it" }),
    name: Nullable(Type.String()),
    createdAt: Timestamp,
    revokedAt: Nullable(Timestamp),
  }),
);

export const ApiKeyCreated = named(
  "ApiKeyCreated",
  Type.Object({
    id: Type.String(),
    prefix: Type.String(),
    apiKey: Type.String({ description: "The key, shown this once" }),
  }),
);

export const ProjectPage = pageOf(Project);
export const ApiKeyPage = pageOf(ApiKey);

export const CancelNonceParams = Type.Object({
  chain: Type.String({ minLength: 1, maxLength: 32, description: "The chain's name" }),
  address: Type.String({ minLength: 1, maxLength: 100, description: "The signer's address" }),
});
export const CancelNonceBody = Type.Object(
  {
    nonce: Type.Integer({
      minimum: 0,
      maximum: Number.MAX_SAFE_INTEGER,
      description: "A nonce of the signer with a transaction of Herald's pending at it",
    }),
  },
  { additionalProperties: false },
);
export const NonceCancelled = named(
  "NonceCancelled",
  Type.Object({
    chain: Type.String(),
    signer: Type.String(),
    nonce: Type.Integer(),
    txHash: Type.String({
      description: "The zero-value transfer to the signer itself that replaces what waited",
    }),
  }),
);

export const components = [
  NonceCancelled,
  Project,
  ProjectPage,
  ProjectCreated,
  ApiKey,
  ApiKeyPage,
  ApiKeyCreated,
  OriginalKeyInfo,
  OriginalKeyPage,
  OriginalKeyCreated,
];

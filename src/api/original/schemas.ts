import { Type, type TSchema } from "@sinclair/typebox";
import { Nullable, named } from "../resources/shared.js";

// Original's requests and answers. Requests are as lenient as Original's (unknown fields and
// query parameters are ignored: its Python SDK sends api_key and api_secret on every call);
// answers are `{success, data}`.

/** No control characters: PostgreSQL refuses NUL in text, and no identifier needs one. */
export const PRINTABLE = "^[^\\u0000-\\u001f\\u007f]*$";
const Text = (maxLength: number) => Type.String({ maxLength, pattern: PRINTABLE });
export const Uid = Type.String({ minLength: 1, maxLength: 100, pattern: PRINTABLE });
export const UidParams = Type.Object({ uid: Uid });

export const CreateUserBody = Type.Union([
  Type.Object({
    email: Type.Optional(Nullable(Text(320))),
    user_external_id: Type.Optional(Nullable(Text(1000))),
    client_id: Type.Optional(Nullable(Text(1000))),
  }),
  Type.Null(),
]);

export const UserQuery = Type.Object({
  email: Type.Optional(Text(320)),
  user_external_id: Type.Optional(Text(1000)),
  client_id: Type.Optional(Text(1000)),
});

export const DepositQuery = Type.Object({
  user_uid: Uid,
  collection_uid: Type.Optional(Text(100)),
});

const Url = Type.String({ minLength: 1, maxLength: 2048 });
const Attribute = Type.Object({
  trait_type: Type.String({ maxLength: 200 }),
  value: Type.Union([Type.String({ maxLength: 2000 }), Type.Number()]),
  display_type: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
});

/** An asset's `data` (create and edit); `store_image_on_ipfs` is taken and ignored: Herald
 * serves the metadata itself and keeps the image URL as given. */
export const AssetData = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 200, pattern: PRINTABLE }),
  unique_name: Type.Boolean(),
  image_url: Url,
  store_image_on_ipfs: Type.Optional(Nullable(Type.Boolean())),
  description: Type.Optional(Nullable(Text(2000))),
  external_url: Type.Optional(Nullable(Url)),
  attributes: Type.Optional(Nullable(Type.Array(Attribute, { maxItems: 100 }))),
});

export const CreateAssetBody = Type.Object({
  user_uid: Uid,
  collection_uid: Uid,
  asset_external_id: Type.Optional(Nullable(Text(255))),
  client_id: Type.Optional(Nullable(Text(255))),
  sale_price_in_usd: Type.Optional(Nullable(Type.Number({ minimum: 0, maximum: 1e12 }))),
  data: AssetData,
});

export const EditAssetBody = Type.Object({ data: AssetData });
export const UserUidQuery = Type.Object({ user_uid: Text(100) });
export const BurnBody = Type.Object({ asset_uid: Uid, from_user_uid: Uid });
export const TransferBody = Type.Object({
  asset_uid: Uid,
  from_user_uid: Uid,
  to_address: Type.String({ minLength: 1, maxLength: 200 }),
});

const Created = Type.Object({ uid: Type.String() });
const Time = Type.String({ description: "ISO 8601 in UTC, with microseconds" });

export const OriginalWallet = named(
  "OriginalWallet",
  Type.Object({
    address: Type.String(),
    explorer_url: Type.String({ description: "Where the wallet is shown (Herald's wallet API)" }),
    network: Type.String(),
    chain_id: Type.Integer(),
  }),
);

export const OriginalUser = named(
  "OriginalUser",
  Type.Object({
    uid: Type.String(),
    created_at: Time,
    email: Nullable(Type.String()),
    user_external_id: Nullable(Type.String()),
    client_id: Nullable(Type.String({ description: "Deprecated: user_external_id" })),
    wallet_address: Nullable(Type.String({ description: "The wallet on Original's chain" })),
    wallets: Type.Array(Type.Unsafe({ $ref: "OriginalWallet" })),
  }),
);

export const OriginalCollection = named(
  "OriginalCollection",
  Type.Object({
    uid: Type.String(),
    name: Nullable(Type.String()),
    status: Type.String({ description: "deploying, deployed (or failed)" }),
    type: Type.String(),
    created_at: Time,
    editable_assets: Type.Boolean(),
    contract_address: Nullable(Type.String()),
    symbol: Nullable(Type.String()),
    description: Nullable(Type.String()),
    chain: Type.String(),
    chain_id: Type.Integer(),
    network: Type.String(),
    explorer_url: Type.String(),
  }),
);

export const OriginalDeposit = named(
  "OriginalDeposit",
  Type.Object({
    network: Type.String(),
    chain_id: Type.Integer(),
    wallet_address: Nullable(Type.String()),
    qr_code_data: Nullable(Type.String({ description: "ERC-681" })),
  }),
);

/** `{success: true, data}` around a schema. */
export const success = <T extends TSchema>(data: T, description: string) =>
  Type.Object({ success: Type.Literal(true), data }, { description });

export const CreatedAnswer = success(Created, "Created: the new object's uid");

export const OriginalAsset = named(
  "OriginalAsset",
  Type.Object({
    uid: Type.String(),
    name: Type.String({ description: "`<name> #<token id>` unless created with unique_name" }),
    asset_external_id: Nullable(Type.String()),
    client_id: Nullable(Type.String({ description: "Deprecated: asset_external_id" })),
    collection_uid: Type.String(),
    collection_name: Nullable(Type.String()),
    token_id: Nullable(Type.Integer()),
    created_at: Time,
    is_minted: Type.Boolean(),
    is_burned: Type.Boolean(),
    is_transferring: Type.Boolean(),
    is_transferable: Type.Boolean(),
    is_editing: Type.Boolean(),
    mint_for_user_uid: Type.String(),
    mint_for_address: Type.String(),
    owner_user_uid: Nullable(Type.String()),
    owner_address: Nullable(Type.String()),
    metadata: Type.Record(Type.String(), Type.Unknown()),
    explorer_url: Type.String(),
    token_uri: Type.String(),
    sale_price_in_usd: Nullable(Type.Number()),
  }),
);

export const OriginalOperation = named(
  "OriginalOperation",
  Type.Object({
    uid: Type.String(),
    status: Type.String({ description: "pending, done or failed" }),
    asset_uid: Type.String(),
    from_user_uid: Nullable(Type.String()),
    to_address: Type.Optional(Nullable(Type.String({ description: "Transfers only" }))),
    created_at: Time,
  }),
);

const refTo = (name: string) => Type.Unsafe({ $ref: name });

/** `{success, data}` answers of the routes that read. */
export const answers = {
  user: success(refTo("OriginalUser"), "The user"),
  foundUser: Type.Object(
    { success: Type.Boolean(), data: Nullable(refTo("OriginalUser")) },
    { description: "The user, or success false and data null when none matches" },
  ),
  collection: success(refTo("OriginalCollection"), "The collection"),
  deposit: success(refTo("OriginalDeposit"), "The deposit address"),
  asset: success(refTo("OriginalAsset"), "The asset"),
  assets: success(Type.Array(refTo("OriginalAsset")), "The assets; [] when none"),
  edited: Type.Object(
    { success: Type.Literal(true), data: Type.Null() },
    { description: "The edit is on its way (asset.edited when done)" },
  ),
  operation: success(refTo("OriginalOperation"), "The transfer or burn"),
  operations: success(Type.Array(refTo("OriginalOperation")), "Newest first; [] when none"),
};

export const ORIGINAL_COMPONENTS = [
  OriginalWallet,
  OriginalUser,
  OriginalCollection,
  OriginalDeposit,
  OriginalAsset,
  OriginalOperation,
];

import { InlineError } from "../components/InlineError";
import { LoadMore } from "../components/LoadMore";
import { PageHeader } from "../components/PageHeader";
import { StatusBadge } from "../components/StatusBadge";
import { useApi } from "../api-context";
import { formatDateTime } from "../format";
import { useDocumentTitle } from "../hooks/useDocumentTitle";
import { usePagedList } from "../hooks/usePagedList";
import type { OriginalAssetSummary, OriginalUserSummary } from "../types";
import { RewardsSection } from "./original/RewardsSection";

/**
 * The project's Original users (with their wallets), assets (with their NFTs' state) and
 * rewards (with their allocations, claims and withdraws).
 */
export function OriginalPage() {
  useDocumentTitle("Original");
  const api = useApi();
  const users = usePagedList<OriginalUserSummary>(api.listOriginalUsers, 25, "users");
  const assets = usePagedList<OriginalAssetSummary>(api.listOriginalAssets, 25, "assets");

  return (
    <>
      <PageHeader title="Original" />
      <p className="hint">
        What Original's API (<code>/original/v1</code>) made in this project: its users, each with
        the custodial wallet Herald gave it, its assets, each an NFT Herald minted, and its rewards,
        each a token pool in a contract Herald deployed.
      </p>

      <section aria-labelledby="original-users">
        <h2 id="original-users">Users</h2>
        <InlineError message={users.error && `The users could not be loaded: ${users.error}`} />
        <div className="table-scroll" role="region" aria-label="Users table" tabIndex={0}>
          <table data-testid="original-users-table">
            <caption className="visually-hidden">Original users</caption>
            <thead>
              <tr>
                <th scope="col">User</th>
                <th scope="col">External id</th>
                <th scope="col">Wallet</th>
                <th scope="col">Created</th>
              </tr>
            </thead>
            <tbody>
              {users.items?.map((user) => (
                <tr key={user.uid} data-testid="original-user-row">
                  <td>
                    {user.email ?? "No email"}
                    <div className="hint wrap">{user.uid}</div>
                  </td>
                  <td>{user.userExternalId ?? "None"}</td>
                  <td className="wrap">
                    <code>{user.walletAddress}</code>
                    <div className="hint">{user.chain}</div>
                  </td>
                  <td>
                    <time dateTime={user.createdAt}>{formatDateTime(user.createdAt)}</time>
                  </td>
                </tr>
              ))}
              {users.items?.length === 0 && (
                <tr>
                  <td colSpan={4} className="empty">
                    No users yet: <code>POST /original/v1/user</code> creates one.
                  </td>
                </tr>
              )}
              {!users.items && !users.error && (
                <tr>
                  <td colSpan={4} className="empty">
                    Loading users…
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
        {users.nextCursor && (
          <LoadMore onClick={users.loadMore} loading={users.loading} error={users.moreError} />
        )}
      </section>

      <section aria-labelledby="original-assets">
        <h2 id="original-assets">Assets</h2>
        <InlineError message={assets.error && `The assets could not be loaded: ${assets.error}`} />
        <div className="table-scroll" role="region" aria-label="Assets table" tabIndex={0}>
          <table data-testid="original-assets-table">
            <caption className="visually-hidden">Original assets</caption>
            <thead>
              <tr>
                <th scope="col">Asset</th>
                <th scope="col">Collection</th>
                <th scope="col">Token</th>
                <th scope="col">Status</th>
                <th scope="col">Held by</th>
                <th scope="col">Created</th>
              </tr>
            </thead>
            <tbody>
              {assets.items?.map((asset) => (
                <tr key={asset.uid} data-testid="original-asset-row">
                  <td>
                    {asset.name}
                    <div className="hint wrap">{asset.uid}</div>
                  </td>
                  <td className="wrap">{asset.collectionId}</td>
                  <td>{asset.tokenId ?? "Not yet"}</td>
                  <td>
                    <StatusBadge status={asset.status} />
                  </td>
                  <td className="wrap">
                    <code>{asset.ownerAddress}</code>
                  </td>
                  <td>
                    <time dateTime={asset.createdAt}>{formatDateTime(asset.createdAt)}</time>
                  </td>
                </tr>
              ))}
              {assets.items?.length === 0 && (
                <tr>
                  <td colSpan={6} className="empty">
                    No assets yet: <code>POST /original/v1/asset</code> mints one for a user.
                  </td>
                </tr>
              )}
              {!assets.items && !assets.error && (
                <tr>
                  <td colSpan={6} className="empty">
                    Loading assets…
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
        {assets.nextCursor && (
          <LoadMore onClick={assets.loadMore} loading={assets.loading} error={assets.moreError} />
        )}
      </section>

      <RewardsSection />
    </>
  );
}

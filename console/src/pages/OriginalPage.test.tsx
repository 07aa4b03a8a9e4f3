import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { fakeApi } from "../test/fake-api";
import { renderSignedIn } from "../test/render";
import type { OriginalAssetSummary, OriginalUserSummary } from "../types";
import { OriginalPage } from "./OriginalPage";

const user = (n: number): OriginalUserSummary => ({
  uid: `user-${n}`,
  email: n === 1 ? "dave@example.com" : null,
  userExternalId: n === 1 ? "74" : null,
  chain: "local",
  walletAddress: `0x${String(n).padStart(40, "0")}`,
  createdAt: "2026-12-05T10:00:00.000Z",
});

const asset = (fields: Partial<OriginalAssetSummary> = {}): OriginalAssetSummary => ({
  uid: "asset-1",
  name: "Dave Starbelly",
  collectionId: "default-local",
  userUid: "user-1",
  assetExternalId: "505",
  status: "minted",
  tokenId: "5",
  ownerAddress: "0x0000000000000000000000000000000000000001",
  createdAt: "2026-12-05T10:01:00.000Z",
  ...fields,
});

describe("Original", () => {
  it("lists the users with their wallets and the assets with their state", async () => {
    fakeApi({
      "GET /original/users": { body: { data: [user(1), user(2)], nextCursor: null } },
      "GET /original/assets": {
        body: {
          data: [asset(), asset({ uid: "asset-2", status: "pending", tokenId: null })],
          nextCursor: null,
        },
      },
    });
    renderSignedIn(<OriginalPage />);
    const users = await screen.findAllByTestId("original-user-row");
    expect(users).toHaveLength(2);
    expect(within(users[0]!).getByText("dave@example.com")).toBeTruthy();
    expect(within(users[0]!).getByText("74")).toBeTruthy();
    expect(within(users[1]!).getByText("No email")).toBeTruthy();
    const assets = await screen.findAllByTestId("original-asset-row");
    expect(within(assets[0]!).getByText("Minted")).toBeTruthy();
    expect(within(assets[1]!).getByText("Pending")).toBeTruthy();
    expect(within(assets[1]!).getByText("Not yet")).toBeTruthy();
  });

  it("says what to do when there is nothing, and loads more users page by page", async () => {
    fakeApi({
      "GET /original/users": (call) =>
        call.query.get("cursor") === "user-1"
          ? { body: { data: [user(2)], nextCursor: null } }
          : { body: { data: [user(1)], nextCursor: "user-1" } },
      "GET /original/assets": { body: { data: [], nextCursor: null } },
    });
    renderSignedIn(<OriginalPage />);
    expect(await screen.findByText(/POST \/original\/v1\/asset/)).toBeTruthy();
    fireEvent.click(await screen.findByRole("button", { name: "Load more" }));
    await waitFor(() => expect(screen.getAllByTestId("original-user-row")).toHaveLength(2));
    expect(screen.queryByRole("button", { name: "Load more" })).toBeNull();
  });
});

import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { apiError, fakeApi } from "../test/fake-api";
import { renderSignedIn } from "../test/render";
import type {
  OriginalAssetSummary,
  OriginalRewardSummary,
  OriginalUserSummary,
  RewardOperationSummary,
} from "../types";
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

const reward = (fields: Partial<OriginalRewardSummary> = {}): OriginalRewardSummary => ({
  uid: "reward-1",
  name: "Season one",
  tokenName: "Star Points",
  tokenSymbol: "STAR",
  chain: "local",
  status: "deployed",
  contractAddress: "0x00000000000000000000000000000000000000aa",
  // Beyond a double's precision: shown as given, never through a float.
  initialSupply: "123456789012345678901234567890.000000000000000001",
  withdrawReceiver: "0x00000000000000000000000000000000000000bb",
  withdrawn: false,
  createdAt: "2026-12-05T10:02:00.000Z",
  ...fields,
});

const operation = (fields: Partial<RewardOperationSummary> = {}): RewardOperationSummary => ({
  uid: "op-1",
  kind: "allocation",
  status: "done",
  userUid: "user-1",
  address: "0x0000000000000000000000000000000000000001",
  amount: "1000000000000000000000.5",
  nonce: "7",
  actionId: "action-1",
  createdAt: "2026-12-05T10:03:00.000Z",
  ...fields,
});

const emptyPage = { body: { data: [], nextCursor: null } };

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
      "GET /original/rewards": emptyPage,
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
      "GET /original/rewards": emptyPage,
    });
    renderSignedIn(<OriginalPage />);
    expect(await screen.findByText(/POST \/original\/v1\/asset/)).toBeTruthy();
    expect(await screen.findByText(/POST \/original\/v1\/reward/)).toBeTruthy();
    fireEvent.click(await screen.findByRole("button", { name: "Load more" }));
    await waitFor(() => expect(screen.getAllByTestId("original-user-row")).toHaveLength(2));
    expect(screen.queryByRole("button", { name: "Load more" })).toBeNull();
  });

  describe("rewards", () => {
    const routes = {
      "GET /original/users": emptyPage,
      "GET /original/assets": emptyPage,
    };

    it("lists the rewards with their token, state, pool and contract", async () => {
      fakeApi({
        ...routes,
        "GET /original/rewards": {
          body: {
            data: [
              reward(),
              reward({
                uid: "reward-2",
                name: "Launch",
                status: "deploying",
                contractAddress: null,
                withdrawn: true,
              }),
              reward({ uid: "reward-3", status: "failed", contractAddress: null }),
            ],
            nextCursor: null,
          },
        },
      });
      renderSignedIn(<OriginalPage />);
      const rows = await screen.findAllByTestId("original-reward-row");
      expect(rows).toHaveLength(3);
      const first = within(rows[0]!);
      expect(first.getByText("Season one")).toBeTruthy();
      expect(first.getByText("Star Points")).toBeTruthy();
      expect(first.getByText("Deployed")).toBeTruthy();
      expect(first.getByTestId("reward-initial-supply").textContent).toBe(
        "123456789012345678901234567890.000000000000000001 STAR",
      );
      expect(first.getByText("0x00000000000000000000000000000000000000aa")).toBeTruthy();
      expect(first.getByText("No")).toBeTruthy();
      expect(within(rows[1]!).getByText("Deploying")).toBeTruthy();
      expect(within(rows[1]!).getByText("Not yet")).toBeTruthy();
      expect(within(rows[1]!).getByText("Yes")).toBeTruthy();
      expect(within(rows[2]!).getByText("Failed")).toBeTruthy();
      expect(within(rows[2]!).getByText("None")).toBeTruthy();
      // Nothing chosen yet: no operations asked for.
      expect(screen.queryByTestId("reward-operations")).toBeNull();
    });

    it("shows a chosen reward's allocations, and its claims when asked", async () => {
      const api = fakeApi({
        ...routes,
        "GET /original/rewards": { body: { data: [reward()], nextCursor: null } },
        "GET /original/rewards/reward-1/operations": (call) =>
          call.query.get("kind") === "claim"
            ? {
                body: {
                  data: [operation({ uid: "op-9", kind: "claim", amount: "0.25", nonce: null })],
                },
              }
            : {
                body: {
                  data: [operation(), operation({ uid: "op-2", status: "pending", nonce: "6" })],
                },
              },
      });
      renderSignedIn(<OriginalPage />);
      fireEvent.click(await screen.findByTestId("toggle-reward-operations"));
      const panel = within(await screen.findByTestId("reward-operations"));
      expect(panel.getByRole("heading", { name: "Operations of Season one" })).toBeTruthy();
      const allocations = await panel.findAllByTestId("reward-operation-row");
      expect(allocations).toHaveLength(2);
      expect(within(allocations[0]!).getByTestId("reward-operation-amount").textContent).toBe(
        "1000000000000000000000.5",
      );
      expect(within(allocations[0]!).getByText("Done")).toBeTruthy();
      expect(within(allocations[1]!).getByText("Pending")).toBeTruthy();
      expect(within(allocations[0]!).getByRole("link", { name: "action-1" })).toBeTruthy();
      const calls = api.find("GET", "/original/rewards/reward-1/operations");
      expect(calls.map((c) => c.query.get("kind"))).toEqual(["allocation"]);

      fireEvent.click(panel.getByLabelText("Claims"));
      await waitFor(() =>
        expect(panel.getByTestId("reward-operations-table").getAttribute("data-kind")).toBe(
          "claim",
        ),
      );
      const claims = await panel.findAllByTestId("reward-operation-row");
      expect(claims).toHaveLength(1);
      expect(claims[0]!.getAttribute("data-operation-uid")).toBe("op-9");
      expect(within(claims[0]!).getByTestId("reward-operation-amount").textContent).toBe("0.25");
      expect(
        api.find("GET", "/original/rewards/reward-1/operations").map((c) => c.query.get("kind")),
      ).toEqual(["allocation", "claim"]);

      // Chosen again, it closes.
      fireEvent.click(screen.getByTestId("toggle-reward-operations"));
      expect(screen.queryByTestId("reward-operations")).toBeNull();
    });

    it("says what to do when there are no rewards", async () => {
      fakeApi({ ...routes, "GET /original/rewards": emptyPage });
      renderSignedIn(<OriginalPage />);
      expect(await screen.findByText(/No rewards yet/)).toBeTruthy();
      expect(screen.queryByTestId("original-reward-row")).toBeNull();
    });

    it("says when a reward has no operations of a kind, and a withdraw's amount in words", async () => {
      fakeApi({
        ...routes,
        "GET /original/rewards": { body: { data: [reward()], nextCursor: null } },
        "GET /original/rewards/reward-1/operations": (call) =>
          call.query.get("kind") === "withdraw"
            ? {
                body: {
                  data: [operation({ kind: "withdraw", userUid: null, amount: null, nonce: null })],
                },
              }
            : { body: { data: [] } },
      });
      renderSignedIn(<OriginalPage />);
      fireEvent.click(await screen.findByTestId("toggle-reward-operations"));
      const panel = within(await screen.findByTestId("reward-operations"));
      expect(await panel.findByText("No allocations for this reward yet.")).toBeTruthy();
      fireEvent.click(panel.getByLabelText("Claims"));
      expect(await panel.findByText("No claims for this reward yet.")).toBeTruthy();
      fireEvent.click(panel.getByLabelText("Withdraws"));
      const [withdraw] = await panel.findAllByTestId("reward-operation-row");
      expect(within(withdraw!).getByTestId("reward-operation-amount").textContent).toBe(
        "Rest of the pool",
      );
    });

    it("shows why the operations could not be loaded", async () => {
      fakeApi({
        ...routes,
        "GET /original/rewards": { body: { data: [reward()], nextCursor: null } },
        "GET /original/rewards/reward-1/operations": apiError(404, "No such reward."),
      });
      renderSignedIn(<OriginalPage />);
      fireEvent.click(await screen.findByTestId("toggle-reward-operations"));
      expect(
        await screen.findByText("The allocations could not be loaded: No such reward."),
      ).toBeTruthy();
      expect(screen.queryByText("Loading allocations…")).toBeNull();
    });
  });
});

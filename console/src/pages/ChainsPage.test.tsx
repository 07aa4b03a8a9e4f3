import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { fakeApi } from "../test/fake-api";
import { renderSignedIn } from "../test/render";
import type { ChainStatus } from "../types";
import { ChainsPage } from "./ChainsPage";

const drop = (fields: Partial<ChainStatus> = {}): ChainStatus => ({
  name: "base-sepolia",
  family: "evm",
  chainId: 84532,
  embedded: false,
  confirmations: 2,
  finality: 64,
  running: true,
  head: 18734521,
  signers: [
    {
      address: "0x8ba1f109551bD432803012645Ac136ddd64DBA72",
      balance: "0.8",
      nonce: 41,
      pending: 3,
      funded: true,
    },
    {
      address: "0x2546BcD3c84621e976D8185a91A922aE77ECEc30",
      balance: "0.001",
      nonce: 7,
      pending: 0,
      funded: false,
    },
  ],
  nodes: [
    { up: false, head: null, lagging: false },
    { up: true, head: 18734521, lagging: false },
  ],
  jobs: { queued: 12, sent: 3, confirmed: 40 },
  ...fields,
});

describe("chains", () => {
  it("shows each chain's head, signers with balances and nonces, nodes and the project's jobs", async () => {
    fakeApi({
      "GET /chains": {
        body: {
          data: [
            drop(),
            drop({
              name: "local",
              chainId: 31337,
              embedded: true,
              running: false,
              head: null,
              signers: [],
              nodes: undefined,
              jobs: { queued: 0, sent: 0, confirmed: 0 },
            }),
          ],
        },
      },
    });
    renderSignedIn(<ChainsPage />);
    const [base, local] = await screen.findAllByTestId("chain");
    expect(within(base!).getByRole("heading", { name: "base-sepolia" })).toBeTruthy();
    expect(within(base!).getByTestId("chain-head").textContent).toBe("18734521");
    expect(within(base!).getByTestId("chain-jobs").textContent).toContain("12 queued, 3 sent");
    expect(within(base!).getByTestId("chain-nodes").textContent).toBe("#1 down; #2 up at 18734521");
    const rows = within(base!).getAllByTestId("chain-signer-row");
    expect(rows).toHaveLength(2);
    expect(rows[0]!.textContent).toContain("0.8");
    expect(rows[0]!.textContent).toContain("41");
    expect(within(rows[0]!).getByText("Funded")).toBeTruthy();
    expect(within(rows[1]!).getByText("Low balance")).toBeTruthy();
    expect(within(local!).getByTestId("chain-head").textContent).toBe("not running here");
    expect(within(local!).getByText(/starts with its first job/)).toBeTruthy();
  });

  it("reads the chains again on its own, and says when they cannot be loaded", async () => {
    let calls = 0;
    fakeApi({
      "GET /chains": () => {
        calls += 1;
        return calls === 1
          ? { body: { data: [drop()] } }
          : { status: 500, body: { error: true, message: "boom" } };
      },
    });
    renderSignedIn(<ChainsPage refreshMs={50} />);
    await screen.findByTestId("chain");
    await waitFor(() => expect(screen.getByText(/The chains could not be loaded/)).toBeTruthy());
    expect(calls).toBeGreaterThan(1);
  });
});

import { useEffect, useState } from "react";
import { useApi } from "../api-context";
import { InlineError } from "../components/InlineError";
import { PageHeader } from "../components/PageHeader";
import { StatusBadge } from "../components/StatusBadge";
import { errorMessage, isAbortError } from "../api";
import { useDocumentTitle } from "../hooks/useDocumentTitle";
import type { ChainStatus } from "../types";

/** How often the page reads the chains again (balances and heads move). */
const REFRESH_MS = 10_000;

function SignersTable({ chain }: { chain: ChainStatus }) {
  if (chain.signers.length === 0) {
    return (
      <p className="hint">
        {chain.running
          ? "No signer read yet."
          : "Not running in this process: it starts with its first job (or another process runs it)."}
      </p>
    );
  }
  return (
    <div className="table-scroll" role="region" aria-label={`${chain.name} signers`} tabIndex={0}>
      <table data-testid="chain-signers">
        <caption className="visually-hidden">Signers of {chain.name}</caption>
        <thead>
          <tr>
            <th scope="col">Signer</th>
            <th scope="col">Balance</th>
            <th scope="col">Next nonce</th>
            <th scope="col">Pending</th>
            <th scope="col">New work</th>
          </tr>
        </thead>
        <tbody>
          {chain.signers.map((signer) => (
            <tr key={signer.address} data-testid="chain-signer-row">
              <td className="wrap">
                <code>{signer.address}</code>
              </td>
              <td>{signer.balance ?? "not read yet"}</td>
              <td>{signer.nonce ?? "—"}</td>
              <td>{signer.pending}</td>
              <td>
                <StatusBadge status={signer.funded ? "funded" : "low"} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function ChainSection({ chain }: { chain: ChainStatus }) {
  const headingId = `chain-${chain.name}`;
  return (
    <section className="panel" aria-labelledby={headingId} data-testid="chain">
      <h2 id={headingId}>{chain.name}</h2>
      <dl className="summary">
        <dt>Family</dt>
        <dd>
          {chain.family}
          {chain.chainId !== null && ` (chain id ${chain.chainId})`}
          {chain.embedded && ", embedded"}
        </dd>
        <dt>Head</dt>
        <dd data-testid="chain-head">{chain.head ?? "not running here"}</dd>
        <dt>Depth</dt>
        <dd>
          {chain.confirmations} confirmation{chain.confirmations === 1 ? "" : "s"}, final at{" "}
          {chain.finality}
        </dd>
        <dt>This project's jobs</dt>
        <dd data-testid="chain-jobs">
          {chain.jobs.queued} queued, {chain.jobs.sent} sent, {chain.jobs.confirmed} mined and
          watched until final
        </dd>
        {chain.nodes && (
          <>
            <dt>RPC nodes</dt>
            <dd data-testid="chain-nodes">
              {chain.nodes
                .map(
                  (node, i) =>
                    `#${i + 1} ${node.up ? "up" : "down"}${node.lagging ? ", lagging" : ""}${
                      node.head === null ? "" : ` at ${node.head}`
                    }`,
                )
                .join("; ")}
            </dd>
          </>
        )}
      </dl>
      <SignersTable chain={chain} />
    </section>
  );
}

/** The chains Herald runs: heads, each signer's balance, nonce and pending transactions. */
export function ChainsPage({ refreshMs = REFRESH_MS }: { refreshMs?: number }) {
  useDocumentTitle("Chains");
  const api = useApi();
  const [chains, setChains] = useState<ChainStatus[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    const load = () =>
      api.listChains(controller.signal).then(
        (list) => {
          setChains(list.data);
          setError(null);
        },
        (failure: unknown) => {
          if (!isAbortError(failure)) setError(errorMessage(failure));
        },
      );
    void load();
    const timer = setInterval(() => void load(), refreshMs);
    return () => {
      controller.abort();
      clearInterval(timer);
    };
  }, [api, refreshMs]);

  return (
    <>
      <PageHeader title="Chains" />
      <p className="hint">
        Each chain Herald is configured with: its head, and each signing account's balance, next
        nonce and pending transactions, read again every {refreshMs / 1000} seconds.
      </p>
      <InlineError message={error && `The chains could not be loaded: ${error}`} />
      {chains === null && !error && <p className="hint">Loading the chains…</p>}
      {chains?.map((chain) => (
        <ChainSection key={chain.name} chain={chain} />
      ))}
    </>
  );
}

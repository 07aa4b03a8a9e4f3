// Status is written out in words; the colour only repeats it.
const LABELS: Record<string, string> = {
  pending: "Pending",
  succeeded: "Succeeded",
  failed: "Failed",
  paused: "Paused",
  active: "Active",
  inactive: "Inactive",
  minted: "Minted",
  burned: "Burned",
  deploying: "Deploying",
  deployed: "Deployed",
  done: "Done",
  funded: "Funded",
  low: "Low balance",
};

export function StatusBadge({ status, testId }: { status: string; testId?: string }) {
  return (
    <span className={`badge badge-${status}`} data-testid={testId} data-status={status}>
      {LABELS[status] ?? status}
    </span>
  );
}

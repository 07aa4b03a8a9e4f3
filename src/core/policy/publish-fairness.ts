// Publishes waiting for the embedded store's writer are taken in turns. A turn takes, round
// robin over the projects with publishes waiting, the oldest publish of each, until it holds
// `budget` events (always at least one publish). So a project sending 500-event batches cannot
// hold up another project's single events, and a single event never waits behind more than a
// turn's worth of batches. Each project's own publishes keep their order.

export interface WaitingPublish {
  projectId: string;
  /** How many events it writes. */
  weight: number;
}

/** The publishes of the next turn, in the order they are written. */
export function nextTurn<T extends WaitingPublish>(queue: readonly T[], budget: number): T[] {
  const byProject = new Map<string, T[]>();
  for (const item of queue) {
    const waiting = byProject.get(item.projectId);
    if (waiting) waiting.push(item);
    else byProject.set(item.projectId, [item]);
  }
  const turn: T[] = [];
  let weight = 0;
  while (byProject.size > 0) {
    for (const [projectId, waiting] of byProject) {
      const next = waiting[0]!;
      if (turn.length > 0 && weight + next.weight > budget) return turn;
      turn.push(next);
      weight += next.weight;
      waiting.shift();
      if (waiting.length === 0) byProject.delete(projectId);
    }
  }
  return turn;
}

/**
 * Runs `work` whenever woken, never twice at once. Wake-ups that arrive while it runs make it
 * run once more; wake-ups within one tick make it run once.
 */
export class CoalescedLoop {
  private busy = false;
  private again = false;
  private active = true;

  constructor(
    private readonly work: () => Promise<void>,
    private readonly onError: (error: unknown) => void,
  ) {}

  wake(): void {
    if (!this.active) return;
    if (this.busy) {
      this.again = true;
      return;
    }
    this.busy = true;
    setImmediate(() => void this.loop());
  }

  stop(): void {
    this.active = false;
  }

  private async loop(): Promise<void> {
    try {
      do {
        this.again = false;
        await this.work();
      } while (this.again && this.active);
    } catch (error) {
      this.onError(error);
    } finally {
      this.busy = false;
    }
  }
}

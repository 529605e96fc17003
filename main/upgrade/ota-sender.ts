// Sends a task's ota_create the way DJI's own server does: at QoS 0, a few tries a while apart, each with
// a fresh tid under the task's one bid. QoS 0 is never queued for later, neither by our client while
// the broker is away nor by the broker for a dock that is offline, so a request can never reach a dock
// after we gave up waiting for its reply. Before trying again it looks at the dock's telemetry: a dock
// already upgrading took an earlier try whose reply was lost, and the task is attached, not sent twice.
import { newEnvelope, type Envelope } from '../../wire/dji/envelope';
import type { OtaCreateData } from './ota-create';
import type { UpgradeTask } from './upgrade-task';

export interface SenderTimings {
  /** ota_create tries before giving up. */
  sendAttempts: number;
  /** How long each try waits for its services_reply. */
  replyTimeoutMs: number;
}

export interface SenderDeps {
  /** Publishes at QoS 0; rejects at once when there is no connection. */
  publish: (gateway: string, envelope: Envelope) => Promise<void>;
  /** The gateway's telemetry has said it is upgrading since `since` (monotonic ms). */
  upgradingSince: (gateway: string, since: number) => boolean;
}

export interface SenderEvents {
  /** A try is leaving; from now on its tid matches the task. */
  tried: (task: UpgradeTask, envelope: Envelope<OtaCreateData>, attempt: number) => void;
  /** A try could not leave (no connection); the next one may. */
  notSent: (task: UpgradeTask, attempt: number, reason: string) => void;
  attached: (task: UpgradeTask) => void;
  gaveUp: (task: UpgradeTask, message: string) => void;
}

export class OtaSender {
  private readonly payloads = new Map<string, OtaCreateData>();

  constructor(
    private readonly deps: SenderDeps,
    private readonly timings: SenderTimings,
    private readonly events: SenderEvents,
  ) {}

  begin(task: UpgradeTask, data: OtaCreateData, now: number): void {
    this.payloads.set(task.bid, data);
    task.send = { tries: 0, deadline: now, firstAt: now };
    this.attempt(task, now);
  }

  /** A services_reply arrived for one of the task's tids: no more tries. */
  answered(task: UpgradeTask): void {
    delete task.send;
    this.payloads.delete(task.bid);
  }

  tick(task: UpgradeTask, now: number): void {
    const send = task.send;
    if (!send || now < send.deadline) return;
    if (send.tries >= this.timings.sendAttempts) {
      const why = send.lastError ? ` (last try: ${send.lastError})` : '';
      this.answered(task);
      const apart = this.timings.replyTimeoutMs < 1000 ? `${this.timings.replyTimeoutMs} ms` : `${Math.round(this.timings.replyTimeoutMs / 1000)} s`;
      this.events.gaveUp(task, `no services_reply to ota_create after ${send.tries} tries ${apart} apart${why}`);
      return;
    }
    if (this.deps.upgradingSince(task.gateway, send.firstAt)) {
      this.answered(task);
      this.events.attached(task);
      return;
    }
    this.attempt(task, now);
  }

  private attempt(task: UpgradeTask, now: number): void {
    const send = task.send!;
    const data = this.payloads.get(task.bid)!;
    send.tries++;
    send.deadline = now + this.timings.replyTimeoutMs;
    const attempt = send.tries;
    // The first try carries the tid the task was created with: the attempt's campaign id in the log.
    const envelope = newEnvelope('ota_create', data, attempt === 1 ? { bid: task.bid, tid: task.tid } : { bid: task.bid });
    this.events.tried(task, envelope, attempt);
    this.deps.publish(task.gateway, envelope).catch((e: Error) => {
      send.lastError = e.message;
      this.events.notSent(task, attempt, e.message);
    });
  }
}

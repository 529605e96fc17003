// Debian's mosquitto that a spec can stop and start again on the same port, as a gateway's broker that
// reboots in the middle of an upgrade.
import { startMosquitto, type TestBroker } from '../../test-support/brokers';

export interface RestartableBroker {
  url: string;
  port: number;
  /** Stops the broker process (SIGTERM); clients see their connection drop. */
  down: () => Promise<void>;
  /** Starts a fresh broker on the same port. */
  up: () => Promise<void>;
  stop: () => Promise<void>;
}

export async function startRestartableMosquitto(): Promise<RestartableBroker> {
  let current: TestBroker | undefined = await startMosquitto();
  const port = current.port;
  const url = current.url;
  const down = async () => {
    const was = current;
    current = undefined;
    await was?.stop();
  };
  return {
    url,
    port,
    down,
    async up() {
      current ??= await startMosquitto(port);
    },
    stop: down,
  };
}

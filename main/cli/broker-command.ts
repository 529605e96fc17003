import { intOption, parse, UserError, type Command } from './command';
import { SUMMARIES } from './summaries';
import { startEmbeddedBroker } from '../broker/embedded-broker';
import { waitForSignal } from './signals';

export const brokerCommand: Command = {
  name: 'broker',
  summary: SUMMARIES.broker,
  usage: `Usage: dockside broker [--port 1883] [--host 127.0.0.1]

Runs an embedded MQTT broker so a dock (or "dockside sim dock") can be pointed at this laptop.
Prints its mqtt:// URL on the first line, then runs until Ctrl-C / SIGTERM.

  --port N     TCP port to listen on (default 1883; 0 picks a free port)
  --host ADDR  address to bind (default 127.0.0.1; 0.0.0.0 to accept docks on the LAN)`,
  async run(argv) {
    const { values } = parse(argv, { port: { type: 'string' }, host: { type: 'string' } });
    const port = intOption(values.port, 'port', 1883, 0, 65535);
    const host = values.host ?? '127.0.0.1';
    let broker;
    try {
      broker = await startEmbeddedBroker({ host, port });
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      if (err.code === 'EADDRINUSE') throw new UserError(`port ${port} on ${host} is already in use (try --port 0)`);
      if (err.code === 'EADDRNOTAVAIL') throw new UserError(`${host} is not an address of this machine`);
      throw new UserError(err.message);
    }
    process.stdout.write(`${broker.url}\n`);
    await waitForSignal();
    await broker.close();
    return 0;
  },
};

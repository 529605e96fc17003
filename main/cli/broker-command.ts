import { intOption, parse, type Command } from './command';
import { UserError } from '../app/user-errors';
import { SUMMARIES } from './summaries';
import { isLoopbackHost, startEmbeddedBroker } from '../broker/embedded-broker';
import { DockAccess } from '../dock-access/dock-access';
import { edgehogTopicFilter } from '../ingest/mqtt-ingest';
import { DEFAULT_CAROTA_TOPIC } from '../../wire/vehicles';
import { resolveDataDir } from '../journal/data-dir';
import { waitForSignal } from './signals';

export const brokerCommand: Command = {
  name: 'broker',
  summary: SUMMARIES.broker,
  usage: `Usage: dockside broker [--port 1883] [--host 127.0.0.1] [--data DIR]

Runs an embedded MQTT broker so a dock (or "dockside sim dock") can be pointed at this laptop.
Prints its mqtt:// URL on the first line, then runs until Ctrl-C / SIGTERM.

On loopback (the default) any client on this machine may connect. Bound beyond loopback it takes only
clients with a login: the data folder's dock login (docks, held to their own topics) and vehicle login
(vehicle ingest topics), the same the app shows; clients on this machine without a login act as the
cloud (dockside upgrade). It then prints one "dock login: mqtt://HOST:PORT username U password P" line
per LAN address after the URL.

  --port N     TCP port to listen on (default 1883; 0 picks a free port)
  --host ADDR  address to bind (default 127.0.0.1; 0.0.0.0 to accept docks on the LAN, with logins)
  --data DIR   where the logins are kept (default: $DOCKSIDE_DATA, else the OS app-data folder)`,
  async run(argv) {
    const { values } = parse(argv, { port: { type: 'string' }, host: { type: 'string' }, data: { type: 'string' } });
    const port = intOption(values.port, 'port', 1883, 0, 65535);
    const host = values.host ?? '127.0.0.1';
    const access = isLoopbackHost(host) ? undefined : DockAccess.open(resolveDataDir(values.data));
    let broker;
    try {
      broker = await startEmbeddedBroker({
        host,
        port,
        ...(access && {
          access: {
            logins: () => ({ dock: access.current.dockLogin, ingest: access.current.ingestLogin }),
            ingestFilters: () => [edgehogTopicFilter('+'), DEFAULT_CAROTA_TOPIC],
            anonymousFromLoopback: true,
            onRefused: (line: string) => process.stderr.write(`${line}\n`),
          },
        }),
      });
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      if (err.code === 'EADDRINUSE') throw new UserError(`port ${port} on ${host} is already in use (try --port 0)`);
      if (err.code === 'EADDRNOTAVAIL') throw new UserError(`${host} is not an address of this machine`);
      throw new UserError(err.message);
    }
    process.stdout.write(`${broker.url}\n`);
    if (access) for (const url of broker.lanUrls()) process.stdout.write(`dock login: ${url} username ${access.current.dockLogin.username} password ${access.current.dockLogin.password}\n`);
    await waitForSignal();
    await broker.close();
    return 0;
  },
};

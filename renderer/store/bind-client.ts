// Connects a DocksideClient to the stores: stream pushes go through the frame scheduler; on every
// (re)connection to the host the lists are reloaded, because pushes sent while away are gone.
import { STREAMS, type StreamName } from '../../preload/api';
import type { DocksideClient } from '../api-client';
import { createFrameScheduler, type FrameClock } from './frame-scheduler';
import { applyStreamItems, type Stores } from './stores';

export function bindClient(client: DocksideClient, stores: Stores, clock?: FrameClock): () => void {
  const scheduler = createFrameScheduler((items) => applyStreamItems(stores, items), clock);
  const offs = (Object.keys(STREAMS) as StreamName[]).map((stream) => client.on(stream, (payload) => scheduler.enqueue(stream, payload)));

  const reload = async () => {
    try {
      const [info, status, devices, firmware, upgrades] = await Promise.all([
        client.call('app.info', {}),
        client.call('connection.get', {}),
        client.call('devices.list', {}),
        client.call('firmware.list', {}),
        client.call('upgrade.list', {}),
      ]);
      // Pushes queued before the lists are older than them: apply those first, then the lists.
      scheduler.flush();
      stores.connection.getState().setInfo(info);
      stores.connection.getState().setStatus(status);
      stores.devices.getState().replace(devices);
      stores.firmware.getState().replace(firmware);
      stores.upgrades.getState().replace(upgrades);
    } catch {
      // The link dropped mid-reload; the next 'open' reloads again.
    }
    // A failing journal pushed while this page was away is only known by asking.
    try {
      stores.connection.getState().setJournal(await client.call('journal.health', {}));
    } catch {
      // As above: the next 'open' asks again.
    }
    // Apart from the lists above, so a host without vehicle support still shows docks.
    try {
      const vehicles = await client.call('vehicles.list', {});
      scheduler.flush();
      stores.vehicles.getState().replace(vehicles);
    } catch {
      // As above: the next 'open' reloads.
    }
  };

  const setLink = stores.connection.getState().setHostLink;
  offs.push(
    client.onLink((link) => {
      setLink(link);
      if (link === 'open') void reload();
    }),
  );
  setLink(client.link());
  if (client.link() === 'open') void reload();
  return () => {
    for (const off of offs) off();
    scheduler.dispose();
  };
}

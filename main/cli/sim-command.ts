// `dockside sim <kind>`: simulators of the other side. Each kind is one row of SIMULATORS.
import { type Command } from './command';
import { UsageError } from '../app/user-errors';
import { DOCK_SIM_SUMMARY, DOCK_SIM_USAGE, runDockSimCli } from './sim-dock-command';
import { vehicleSimCommand } from './sim-vehicle-command';
import { SUMMARIES } from './summaries';

interface Simulator {
  summary: string;
  usage: string;
  run: (argv: string[]) => Promise<number>;
}

const SIMULATORS: Record<string, Simulator> = {
  dock: { summary: DOCK_SIM_SUMMARY, usage: DOCK_SIM_USAGE, run: runDockSimCli },
  vehicle: vehicleSimCommand,
};

const kinds = Object.keys(SIMULATORS);
const width = Math.max(...kinds.map((k) => k.length));

export const simCommand: Command = {
  name: 'sim',
  summary: SUMMARIES.sim,
  usage: [`Usage: dockside sim <kind> [options]\n\n${kinds.map((k) => `  ${k.padEnd(width)}  ${SIMULATORS[k]!.summary}`).join('\n')}`, ...kinds.map((k) => SIMULATORS[k]!.usage)].join('\n\n'),
  async run(argv) {
    const [kind, ...rest] = argv;
    if (kind === undefined) throw new UsageError(`which simulator? one of ${kinds.join(', ')}`);
    const sim = Object.hasOwn(SIMULATORS, kind) ? SIMULATORS[kind] : undefined;
    if (!sim) throw new UsageError(`unknown simulator "${kind}" (one of ${kinds.join(', ')})`);
    return sim.run(rest);
  },
};

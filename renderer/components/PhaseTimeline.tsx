// One vehicle's latest campaign as a row of phases, each a labelled cell with its state in words and
// colour; hovering shows the protocol's own status text and when it came (screen readers get it too).
import { memo } from 'react';
import { PHASES, type VehicleSummary } from '../../preload/api';
import { PHASE_WORDS, STATE_TONE, STATE_WORDS } from '../lib/event-words';
import { formatTime } from '../lib/format';

export const PhaseTimeline = memo(function PhaseTimeline({ device, phases }: { device: string; phases: VehicleSummary['phases'] }) {
  return (
    <ol className="timeline" aria-label={`Timeline of ${device}`}>
      {PHASES.map((phase) => {
        const step = phases[phase];
        if (!step) {
          return (
            <li key={phase} className="phase phase-none" title={`${PHASE_WORDS[phase]}: not reached`}>
              <span className="phase-name">{PHASE_WORDS[phase]}</span>
              <span className="phase-state">
                <span aria-hidden="true">—</span>
                <span className="sr-only">not reached</span>
              </span>
            </li>
          );
        }
        return (
          <li key={phase} className={`phase tone-${STATE_TONE[step.state]}`} title={`${PHASE_WORDS[phase]}: ${STATE_WORDS[step.state]}\n${step.message}\n${formatTime(step.time)}`}>
            <span className="phase-name">{PHASE_WORDS[phase]}</span>
            <span className="phase-state">{STATE_WORDS[step.state]}</span>
            <span className="sr-only">
              {step.message}, {formatTime(step.time)}
            </span>
          </li>
        );
      })}
    </ol>
  );
});

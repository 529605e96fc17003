// Why the buttons of a view are off, said once where they are; each disabled button points here
// (aria-describedby), so a screen reader hears the reason with the button.
import { useId } from 'react';
import { actionBlocked, type ActionNeeds } from '../lib/action-gate';
import { useSlice } from '../store/stores';

export interface ActionGate {
  /** The reason, or undefined when actions may go. */
  blocked: string | undefined;
  /** Spread on each button the gate guards. */
  describedBy: string | undefined;
  noticeId: string;
}

export function useActionGate(needs: ActionNeeds): ActionGate {
  const noticeId = useId();
  const link = useSlice('connection', (s) => s.hostLink);
  const broker = useSlice('connection', (s) => s.status);
  const blocked = actionBlocked(link, broker, needs);
  return { blocked, describedBy: blocked ? noticeId : undefined, noticeId };
}

export function ActionsBlocked({ gate }: { gate: ActionGate }) {
  if (!gate.blocked) return null;
  return (
    <p id={gate.noticeId} className="notice notice-warn" role="status">
      {gate.blocked}
    </p>
  );
}

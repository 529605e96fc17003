// Vehicles and Log are built in their own issue; until then the tab says so plainly.
import { useId } from 'react';

export function NotBuiltView({ title, what }: { title: string; what: string }) {
  const id = useId();
  return (
    <section className="view" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{title}</h2>
      <p className="empty">Not built yet. {what}</p>
    </section>
  );
}

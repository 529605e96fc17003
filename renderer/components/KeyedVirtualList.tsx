// A long list of fixed-height rows, each named by a key: only the rows in view (and a few around them)
// are mounted, and each row component selects its own data by key, so a tick re-renders one row.
import { useVirtualizer } from '@tanstack/react-virtual';
import { useRef, type ReactNode } from 'react';

interface Props {
  keys: readonly string[];
  /** The list's accessible name. */
  label: string;
  rowHeight: number;
  renderRow(key: string): ReactNode;
}

export function KeyedVirtualList({ keys, label, rowHeight, renderRow }: Props) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: keys.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: 6,
  });
  return (
    <div className="virtual-scroll" ref={scrollRef}>
      <div role="list" aria-label={label} className="virtual-inner" style={{ height: virtualizer.getTotalSize() }}>
        {virtualizer.getVirtualItems().map((item) => (
          <div
            key={keys[item.index]}
            role="listitem"
            aria-posinset={item.index + 1}
            aria-setsize={keys.length}
            className="virtual-item"
            style={{ transform: `translateY(${item.start}px)`, height: rowHeight }}
          >
            {renderRow(keys[item.index]!)}
          </div>
        ))}
      </div>
    </div>
  );
}

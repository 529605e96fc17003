// A long list of rows, each named by a key: only the rows in view (and a few around them) are mounted,
// and each row component selects its own data by key, so a tick re-renders one row. Rows are of one
// height, or (`measured`) as tall as their content, measured once mounted.
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, type ReactNode } from 'react';

interface Props {
  keys: readonly string[];
  /** The list's accessible name. */
  label: string;
  /** The height of every row, or the first guess of each when `measured`. */
  rowHeight: number;
  /** Rows differ in height: each is measured as it mounts. */
  measured?: boolean;
  renderRow: (key: string) => ReactNode;
  /** Brings this key to the top of the list whenever the nonce changes (and the key is there). */
  scrollTo?: { key: string; nonce: number };
}

export function KeyedVirtualList({ keys, label, rowHeight, measured = false, renderRow, scrollTo }: Props) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: keys.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    getItemKey: (index) => keys[index]!,
    overscan: 6,
  });
  const scrolled = useRef<number | undefined>(undefined);
  const target = scrollTo ? keys.indexOf(scrollTo.key) : -1;
  useEffect(() => {
    if (!scrollTo || target < 0 || scrolled.current === scrollTo.nonce) return;
    scrolled.current = scrollTo.nonce;
    virtualizer.scrollToIndex(target, { align: 'start' });
  }, [scrollTo, target, virtualizer]);
  return (
    <div className="virtual-scroll" ref={scrollRef}>
      <div role="list" aria-label={label} className="virtual-inner" style={{ height: virtualizer.getTotalSize() }}>
        {virtualizer.getVirtualItems().map((item) => (
          <div
            key={item.key}
            role="listitem"
            aria-posinset={item.index + 1}
            aria-setsize={keys.length}
            className="virtual-item"
            data-index={item.index}
            ref={measured ? virtualizer.measureElement : undefined}
            style={{ transform: `translateY(${item.start}px)`, ...(measured ? {} : { height: rowHeight }) }}
          >
            {renderRow(keys[item.index]!)}
          </div>
        ))}
      </div>
    </div>
  );
}

import { type KeyboardEvent, type ReactNode, useRef } from 'react';

export interface TabSpec<K extends string> {
  key: K;
  label: ReactNode;
}

/** An accessible tab strip (role=tablist): click or ←/→/Home/End to move, the panel follows. */
export function Tabs<K extends string>({
  label,
  tabs,
  current,
  onChange,
}: {
  label: string;
  tabs: readonly TabSpec<K>[];
  current: K;
  onChange: (key: K) => void;
}) {
  const refs = useRef(new Map<K, HTMLButtonElement>());
  const onKey = (e: KeyboardEvent) => {
    const i = tabs.findIndex((t) => t.key === current);
    const next =
      e.key === 'ArrowRight'
        ? tabs[(i + 1) % tabs.length]
        : e.key === 'ArrowLeft'
          ? tabs[(i - 1 + tabs.length) % tabs.length]
          : e.key === 'Home'
            ? tabs[0]
            : e.key === 'End'
              ? tabs[tabs.length - 1]
              : undefined;
    if (!next) return;
    e.preventDefault();
    onChange(next.key);
    refs.current.get(next.key)?.focus();
  };
  return (
    <div className="tabs" role="tablist" aria-label={label} onKeyDown={onKey}>
      {tabs.map((t) => (
        <button
          key={t.key}
          ref={(el) => {
            if (el) refs.current.set(t.key, el);
          }}
          role="tab"
          id={`tab-${t.key}`}
          aria-selected={t.key === current}
          aria-controls={`panel-${t.key}`}
          tabIndex={t.key === current ? 0 : -1}
          className="tab"
          onClick={() => onChange(t.key)}
        >
          {t.label}
        </button>
      ))}
    </div>
  );
}

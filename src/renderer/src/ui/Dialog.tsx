import { type ReactNode, useEffect, useId, useRef } from 'react';

/** A modal on the native <dialog>: focus trapped by the browser, Esc closes, named by its title. */
export function Dialog({
  title,
  open,
  onClose,
  children,
  wide,
  className,
}: {
  title: string;
  open: boolean;
  onClose: () => void;
  children: ReactNode;
  wide?: boolean;
  /** Extra class on the <dialog>, for callers that must tell it apart. */
  className?: string;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const openRef = useRef(open);
  openRef.current = open;
  const titleId = useId();
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      className={`dialog${wide ? ' dialog-wide' : ''}${className ? ` ${className}` : ''}`}
      aria-labelledby={titleId}
      onClose={(e) => {
        // The native close event comes a task after close(): by then the same dialog may have
        // been opened again (close, then reopen at once), and that stale event must not shut it.
        if (!e.currentTarget.open && openRef.current) onClose();
      }}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      {open && (
        <>
          <header className="dialog-header">
            <h2 id={titleId}>{title}</h2>
            <button className="icon-button" aria-label="Close" onClick={onClose}>
              ✕
            </button>
          </header>
          <div className="dialog-body">{children}</div>
        </>
      )}
    </dialog>
  );
}

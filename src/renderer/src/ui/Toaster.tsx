import { useStore } from 'zustand';
import { toastStore } from './toast';

/** Where toasts show; a live region, so screen readers say them too. */
export function Toaster() {
  const toasts = useStore(toastStore, (s) => s.toasts);
  return (
    <div className="toaster" role="status" aria-live="polite">
      {toasts.map((t) => (
        <div key={t.id} className={`toast toast-${t.kind}`}>
          {t.text}
        </div>
      ))}
    </div>
  );
}

import { createStore } from 'zustand/vanilla';

export interface Toast {
  id: number;
  text: string;
  kind: 'info' | 'error';
}

export const toastStore = createStore<{ toasts: Toast[] }>(() => ({ toasts: [] }));
let nextId = 1;

/** Shows a short message at the bottom of the window; errors stay longer. */
export function toast(text: string, kind: Toast['kind'] = 'info'): void {
  const id = nextId++;
  toastStore.setState((s) => ({ toasts: [...s.toasts.slice(-3), { id, text, kind }] }));
  setTimeout(
    () => toastStore.setState((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) })),
    kind === 'error' ? 6000 : 1800,
  );
}

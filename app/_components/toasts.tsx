'use client';
// Short-lived messages ("Copied", "Key revoked") in one corner, built on Radix Toast: announced to screen
// readers, paused on hover, swiped or Escaped away. `useToast()` shows one from anywhere below the provider.
import { Toast } from 'radix-ui';
import { createContext, useCallback, useContext, useState, type ReactNode } from 'react';

interface Item {
  id: number;
  title: string;
  description?: string;
}

const ToastContext = createContext<(title: string, description?: string) => void>(() => {});

export function ToastProvider({ children }: { children: ReactNode }) {
  const [items, setItems] = useState<Item[]>([]);
  const show = useCallback((title: string, description?: string) => {
    setItems((list) => [...list.slice(-2), { id: Date.now() + Math.random(), title, description }]);
  }, []);
  return (
    <ToastContext.Provider value={show}>
      {/* "Messages", not Radix's default "Notifications": that word belongs to the notification bell. */}
      <Toast.Provider swipeDirection="right" duration={4000} label="Message">
        {children}
        {items.map((item) => (
          <Toast.Root
            key={item.id}
            data-testid="toast"
            onOpenChange={(open) => !open && setItems((list) => list.filter((i) => i.id !== item.id))}
            className="rounded-lg bg-slate-900 px-4 py-3 text-sm text-white shadow-lg ring-1 ring-slate-700 data-[swipe=move]:translate-x-[var(--radix-toast-swipe-move-x)] dark:bg-slate-100 dark:text-slate-900"
          >
            <Toast.Title className="font-medium">{item.title}</Toast.Title>
            {item.description && (
              <Toast.Description className="mt-1 text-slate-300 dark:text-slate-600">
                {item.description}
              </Toast.Description>
            )}
          </Toast.Root>
        ))}
        <Toast.Viewport
          label="Messages ({hotkey})"
          className="fixed bottom-4 right-4 z-50 flex w-[min(24rem,calc(100vw-2rem))] flex-col gap-2 outline-none"
        />
      </Toast.Provider>
    </ToastContext.Provider>
  );
}

/** Shows a toast: a title, and a sentence when the title needs one. */
export const useToast = () => useContext(ToastContext);

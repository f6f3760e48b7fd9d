'use client';
// Dialogs built on Radix (focus trap, Escape, return of focus, aria wiring): a modal panel for content,
// and a confirmation that replaces the browser's confirm() with a sentence, a named action and Cancel.
import { AlertDialog, Dialog } from 'radix-ui';
import { useState, type ComponentProps, type ReactNode } from 'react';
import { Button } from './ui';

const overlay = 'fixed inset-0 z-40 bg-black/50';
const panel =
  'fixed left-1/2 top-1/2 z-50 max-h-[calc(100dvh-2rem)] w-[min(48rem,calc(100vw-2rem))] -translate-x-1/2 -translate-y-1/2 overflow-y-auto rounded-lg bg-white shadow-xl ring-1 ring-slate-200 focus:outline-none';

/** A modal panel with a title bar: `actions` sit beside the title, before the Close button. */
export function Modal({
  open,
  onOpenChange,
  title,
  titleClassName,
  actions,
  children,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: ReactNode;
  titleClassName?: string;
  actions?: ReactNode;
  children: ReactNode;
}) {
  return (
    <Dialog.Root open={open} onOpenChange={onOpenChange}>
      <Dialog.Portal>
        <Dialog.Overlay className={overlay} />
        <Dialog.Content className={panel} aria-describedby={undefined}>
          <header className="flex flex-wrap items-center justify-between gap-2 border-b border-slate-200 px-4 py-3">
            <Dialog.Title className={titleClassName ?? 'text-sm font-semibold text-slate-800'}>
              {title}
            </Dialog.Title>
            <div className="flex flex-wrap gap-2">
              {actions}
              <Dialog.Close asChild>
                <Button variant="secondary">Close</Button>
              </Dialog.Close>
            </div>
          </header>
          {children}
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}

interface ConfirmProps {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  /** The question, e.g. "Delete the mapping Person?". */
  title: string;
  /** What follows, when the title alone does not say it. */
  description?: ReactNode;
  /** The button that goes ahead: a verb ("Delete", "Revoke"), never "OK". */
  confirmLabel: string;
  /** The button that backs out; "Cancel" unless that would read like the action ("Cancel run"). */
  cancelLabel?: string;
  tone?: 'danger' | 'primary';
  onConfirm: () => void;
}

/** A confirmation the page controls (for a question asked from code, not from one button). */
export function ConfirmDialog({
  open,
  onOpenChange,
  title,
  description,
  confirmLabel,
  cancelLabel = 'Cancel',
  tone = 'danger',
  onConfirm,
}: ConfirmProps) {
  return (
    <AlertDialog.Root open={open} onOpenChange={onOpenChange}>
      <AlertDialog.Portal>
        <AlertDialog.Overlay className={overlay} />
        <AlertDialog.Content className={`${panel} w-[min(28rem,calc(100vw-2rem))] space-y-3 p-5`}>
          <AlertDialog.Title className="text-base font-semibold text-slate-900">{title}</AlertDialog.Title>
          {description ? (
            <AlertDialog.Description className="text-sm text-slate-600">
              {description}
            </AlertDialog.Description>
          ) : (
            <AlertDialog.Description className="sr-only">{title}</AlertDialog.Description>
          )}
          <div className="flex flex-wrap justify-end gap-2 pt-2">
            <AlertDialog.Cancel asChild>
              <Button variant="secondary">{cancelLabel}</Button>
            </AlertDialog.Cancel>
            <AlertDialog.Action asChild>
              <Button
                variant={tone === 'danger' ? 'dangerSolid' : 'primary'}
                onClick={onConfirm}
                data-testid="confirm-action"
              >
                {confirmLabel}
              </Button>
            </AlertDialog.Action>
          </div>
        </AlertDialog.Content>
      </AlertDialog.Portal>
    </AlertDialog.Root>
  );
}

/**
 * A button that asks first: its own name stays what it was (tests and screen readers find "Delete"),
 * and the action runs only after the dialog's confirm button.
 */
export function ConfirmButton({
  title,
  description,
  confirmLabel,
  cancelLabel,
  tone,
  onConfirm,
  children,
  ...button
}: Omit<ConfirmProps, 'open' | 'onOpenChange'> & Omit<ComponentProps<typeof Button>, 'onClick' | 'title'>) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button {...button} onClick={() => setOpen(true)}>
        {children}
      </Button>
      <ConfirmDialog
        open={open}
        onOpenChange={setOpen}
        title={title}
        description={description}
        confirmLabel={confirmLabel}
        cancelLabel={cancelLabel}
        tone={tone}
        onConfirm={onConfirm}
      />
    </>
  );
}

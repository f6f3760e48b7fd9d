'use client';
// A read-only value (URL, token, command) with a Copy button; a toast says it was copied.
import { useToast } from '@/app/_components/toasts';
import { Button, Input, Textarea } from '@/app/_components/ui';

export function CopyField({
  label,
  value,
  multiline,
}: {
  label: string;
  value: string;
  multiline?: boolean;
}) {
  const toast = useToast();
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      toast(`${label} copied`);
    } catch {
      // No clipboard (plain http, or permission refused): the field is selected on focus instead.
      toast('The browser did not allow copying', 'Click the field and copy it with your keyboard.');
    }
  };
  return (
    <div className="space-y-1">
      <span className="text-sm font-medium text-slate-700">{label}</span>
      <div className="flex min-w-0 items-start gap-2">
        {multiline ? (
          <Textarea
            readOnly
            aria-label={label}
            value={value}
            rows={5}
            onFocus={(e) => e.currentTarget.select()}
          />
        ) : (
          <Input
            readOnly
            aria-label={label}
            value={value}
            className="font-mono text-xs"
            onFocus={(e) => e.currentTarget.select()}
          />
        )}
        <Button variant="secondary" onClick={() => void copy()}>
          Copy
        </Button>
      </div>
    </div>
  );
}

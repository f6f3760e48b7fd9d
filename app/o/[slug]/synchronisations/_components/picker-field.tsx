'use client';
// A labelled choice of one of the organisation's sources, registers, schemas or mappings: the first
// option stands for none, and an empty list can say where to create the first one.
import Link from 'next/link';
import type { ReactNode } from 'react';
import { Select } from '@/app/_components/ui';
import { useOrg } from '@/app/_lib/org-context';
import { FormField } from './form-field';

interface Item {
  id: string;
  name: string;
}

interface Props<T extends Item> {
  label: string;
  items: readonly T[];
  value: string;
  onChange: (id: string) => void;
  /** The text of the first option, the one with the empty value. */
  none: string;
  /** What an option shows; the item's name when absent. */
  describe?: (item: T) => string;
  error?: string | null;
  hint?: ReactNode;
  /** With no items, the hint says "No <plural> yet. Create a <what> first." and links to `/o/<slug><href>`. */
  whenEmpty?: { what: string; plural: string; href: string };
  required?: boolean;
  disabled?: boolean;
  className?: string;
}

export function PickerField<T extends Item>(props: Props<T>) {
  const { label, items, value, onChange, none, describe, error, whenEmpty, required, disabled } = props;
  const org = useOrg();
  const hint =
    whenEmpty && items.length === 0 ? (
      <>
        No {whenEmpty.plural} yet.{' '}
        <Link className="text-indigo-700 hover:underline" href={`/o/${org.slug}${whenEmpty.href}`}>
          Create a {whenEmpty.what}
        </Link>{' '}
        first.
      </>
    ) : (
      props.hint
    );
  return (
    <FormField label={label} error={error} hint={hint} className={props.className}>
      <Select
        className="w-full"
        required={required}
        disabled={disabled}
        value={value}
        onChange={(e) => onChange(e.target.value)}
      >
        <option value="">{none}</option>
        {items.map((item) => (
          <option key={item.id} value={item.id}>
            {describe ? describe(item) : item.name}
          </option>
        ))}
      </Select>
    </FormField>
  );
}

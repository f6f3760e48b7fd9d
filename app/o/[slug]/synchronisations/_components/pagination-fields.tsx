'use client';
// The pagination style and only the fields that style takes.
import { Input, Select } from '@/app/_components/ui';
import type { SectionProps } from '../_lib/form-state';
import { PAGINATION_KIND_NAMES, PAGINATION_KINDS, type PaginationKind } from '../_lib/pagination-kinds';
import { FormField } from './form-field';

export function PaginationFields({ state, set, errorFor }: SectionProps) {
  const spec = PAGINATION_KINDS[state.paginationKind];
  const fieldError = (name: string) => errorFor(`sourceConfig.pagination.${name}`);
  const childError = spec.fields.some((f) => fieldError(f.name));
  const kindError = childError ? null : errorFor('sourceConfig.pagination');
  return (
    <div className="space-y-3 rounded-md bg-slate-50 p-3 md:col-span-2">
      <FormField label="Pagination" hint={spec.hint} error={kindError}>
        <Select
          className="w-full"
          value={state.paginationKind}
          // Switching style starts from that style's defaults.
          onChange={(e) => set({ paginationKind: e.target.value as PaginationKind, pagination: {} })}
        >
          {PAGINATION_KIND_NAMES.map((kind) => (
            <option key={kind} value={kind}>
              {PAGINATION_KINDS[kind].label}
            </option>
          ))}
        </Select>
      </FormField>
      {spec.fields.length > 0 && (
        <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
          {spec.fields.map((field) => (
            <FormField
              key={field.name}
              label={field.required ? `${field.label} *` : field.label}
              hint={field.hint}
              error={fieldError(field.name)}
            >
              <Input
                inputMode={field.number ? 'numeric' : undefined}
                placeholder={field.placeholder}
                value={state.pagination[field.name] ?? ''}
                onChange={(e) => set({ pagination: { ...state.pagination, [field.name]: e.target.value } })}
              />
            </FormField>
          ))}
        </div>
      )}
    </div>
  );
}

'use client';
import { EMPTY_FORM } from '../_lib/form-state';
import { SyncForm } from '../_components/sync-form';

export function NewSync() {
  return <SyncForm initial={EMPTY_FORM} />;
}

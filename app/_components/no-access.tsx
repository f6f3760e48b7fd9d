import { Card, Notice } from './ui';

export function NoAccess({ page, role }: { page: string; role: string }) {
  return (
    <Card title={`No access to ${page}`}>
      <Notice>
        Your role in this organisation is <strong>{role}</strong>, which cannot open {page}. Ask an owner or
        admin if you need it.
      </Notice>
    </Card>
  );
}

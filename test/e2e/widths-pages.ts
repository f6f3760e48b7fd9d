// Every page of an organisation, for the width checks (widths.spec.ts): where it is, what shows it has
// loaded, and the column headers of each of its tables that must be reachable at every width. A new page
// is one more entry here; a page that needs a record of its own gets it from `Seeded` (add what it needs
// to the seeding in widths.spec.ts).

/** What the width spec seeded in its organisation, by id. */
export interface Seeded {
  org: string;
  orgName: string;
  restSourceId: string;
  csvSourceId: string;
  mappingId: string;
  syncId: string;
  syncName: string;
  runId: string;
  contractId: string;
  registerId: string;
  schemaId: string;
  connectionId: string;
  /** An open conflict of a two-way synchronisation (its own page). */
  conflictId: string;
  /** An invitation link's token: its page is seen signed out. */
  inviteToken: string;
  /** The wide CSV file's last column: the preview must reach it by scrolling inside its card. */
  csvLastColumn: string;
}

export interface WidthPage {
  /** Also the screenshot's file name. */
  name: string;
  path: (s: Seeded) => string;
  /** The page's main heading once it has loaded. */
  heading: (s: Seeded) => string | RegExp;
  /** Pages of a single card (signing in, an invitation) title it with their card's heading. */
  headingLevel?: 1 | 2;
  /** Seen by someone who is not signed in. */
  signedOut?: boolean;
  /** Tables by their scroller's label (TableScroll), each with the headers that must be reachable. */
  tables?: (s: Seeded) => Record<string, string[]>;
}

export const WIDTH_PAGES: WidthPage[] = [
  { name: 'overview', path: (s) => s.org, heading: (s) => s.orgName },
  {
    name: 'sources',
    path: (s) => `${s.org}/sources`,
    heading: () => 'Sources',
    tables: () => ({ Sources: ['Name', 'Status', 'Points at'] }),
  },
  { name: 'source-new', path: (s) => `${s.org}/sources/new`, heading: () => 'New source' },
  { name: 'source-rest', path: (s) => `${s.org}/sources/${s.restSourceId}`, heading: () => 'People API' },
  {
    name: 'source-csv',
    path: (s) => `${s.org}/sources/${s.csvSourceId}`,
    heading: () => 'Wide export',
    tables: (s) => ({ Preview: ['#', s.csvLastColumn], 'File versions': ['Version', 'SHA-256'] }),
  },
  {
    name: 'mappings',
    path: (s) => `${s.org}/mappings`,
    heading: () => 'Mappings',
    tables: () => ({ Mappings: ['Name', 'Keys', 'Updated'] }),
  },
  { name: 'mapping-new', path: (s) => `${s.org}/mappings/new`, heading: () => 'New mapping' },
  { name: 'mapping', path: (s) => `${s.org}/mappings/${s.mappingId}`, heading: () => 'Person' },
  {
    name: 'synchronisations',
    path: (s) => `${s.org}/synchronisations`,
    heading: () => 'Synchronisations',
    tables: () => ({ Synchronisations: ['Name', 'Last run', 'Next run'] }),
  },
  {
    name: 'synchronisation-new',
    path: (s) => `${s.org}/synchronisations/new`,
    heading: () => 'New synchronisation',
  },
  {
    name: 'synchronisation',
    path: (s) => `${s.org}/synchronisations/${s.syncId}`,
    heading: (s) => s.syncName,
    tables: () => ({ 'Recent runs': ['Started', 'Created · updated · deleted', 'Duration'] }),
  },
  {
    name: 'synchronisation-edit',
    path: (s) => `${s.org}/synchronisations/${s.syncId}/edit`,
    heading: () => 'Edit synchronisation',
  },
  {
    name: 'synchronisation-contracts',
    path: (s) => `${s.org}/synchronisations/${s.syncId}/contracts`,
    heading: () => /Contracts/,
    tables: () => ({ Contracts: ['Origin id', 'Status', 'Last error', 'Target synced'] }),
  },
  {
    name: 'logs',
    path: (s) => `${s.org}/logs`,
    heading: () => 'Logs',
    tables: () => ({ Runs: ['Run', 'Duration', 'Created', 'Unchanged', 'Failed'] }),
  },
  { name: 'log-run', path: (s) => `${s.org}/logs/${s.runId}`, heading: () => /^Run of / },
  {
    name: 'contracts',
    path: (s) => `${s.org}/contracts`,
    heading: () => 'Contracts',
    tables: () => ({ Contracts: ['Synchronisation', 'Origin id', 'Last error', 'Last synced'] }),
  },
  {
    name: 'contract',
    path: (s) => `${s.org}/contracts/${s.contractId}`,
    heading: () => /^Contract /,
    tables: () => ({ 'Both sides': ['Source', 'Target'] }),
  },
  { name: 'registers', path: (s) => `${s.org}/registers`, heading: () => 'Registers' },
  {
    name: 'schema',
    path: (s) => `${s.org}/registers/${s.registerId}/schemas/${s.schemaId}`,
    heading: () => 'Person',
    tables: () => ({ Objects: ['Object', 'Version', 'Updated'] }),
  },
  {
    name: 'schema-new',
    path: (s) => `${s.org}/registers/${s.registerId}/schemas/new`,
    heading: () => 'New schema',
  },
  {
    name: 'schema-hub',
    path: (s) => `${s.org}/registers/${s.registerId}/schemas/${s.schemaId}/hub`,
    heading: () => 'Person hub',
  },
  {
    name: 'conflicts',
    path: (s) => `${s.org}/conflicts`,
    heading: () => 'Conflicts',
    tables: () => ({ Conflicts: ['Synchronisation', 'Object', 'Found', 'Status'] }),
  },
  {
    name: 'conflict',
    path: (s) => `${s.org}/conflicts/${s.conflictId}`,
    heading: () => /^Conflict on object /,
    tables: () => ({ 'Three versions': ['Field', 'Source', 'Target'] }),
  },
  {
    name: 'connections',
    path: (s) => `${s.org}/connections`,
    heading: () => 'Connections',
    tables: () => ({ Connections: ['Name', 'Schedule', 'Next run'] }),
  },
  {
    name: 'connection',
    path: (s) => `${s.org}/connections/${s.connectionId}`,
    heading: () => 'People feed',
    tables: () => ({ 'Members of the connection': ['Synchronisation', 'Last run', 'Contracts'] }),
  },
  {
    name: 'members',
    path: (s) => `${s.org}/members`,
    heading: () => 'Members',
    tables: () => ({ Members: ['Name', 'Email', 'Role'] }),
  },
  {
    name: 'settings',
    path: (s) => `${s.org}/settings`,
    heading: () => 'Settings',
    tables: () => ({ 'API keys': ['Name', 'Key', 'Last used'] }),
  },
  { name: 'settings-api', path: (s) => `${s.org}/settings/api`, heading: () => 'API reference' },
  {
    name: 'organisation-new',
    path: () => '/orgs/new',
    heading: () => 'Create an organisation',
    headingLevel: 2,
  },
  { name: 'account', path: () => '/account', heading: () => 'Your account' },
  { name: 'sign-in', path: () => '/sign-in', heading: () => 'Sign in', headingLevel: 2, signedOut: true },
  {
    name: 'sign-up',
    path: () => '/sign-up',
    heading: () => 'Create your account',
    headingLevel: 2,
    signedOut: true,
  },
  {
    name: 'invitation',
    path: (s) => `/invite/${s.inviteToken}`,
    heading: (s) => `Join ${s.orgName}`,
    headingLevel: 2,
    signedOut: true,
  },
];

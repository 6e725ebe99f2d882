import type { DetectedPage } from '@/lib/detect';

/**
 * Every TanStack query key of the UI, in one place: a key written twice by hand can drift
 * apart, and then one component's write (setQueryData, invalidateQueries) misses another's read.
 * Keys that several components share (the latest run of an integration) must be equal, not similar.
 */
export const queryKeys = {
  integrations: () => ['integrations'] as const,
  latestRun: (integrationId: string) => ['latest-run', integrationId] as const,
  latestPreview: (integrationId: string) => ['latest-preview', integrationId] as const,
  /** Changes when a sync ends, so the counts are read again then (not on every page a sync writes). */
  recordCounts: (integrationId: string, lastSyncAt: number) => ['counts', integrationId, lastSyncAt] as const,
  importedFacts: (integrationId: string, syncedAt: number) => ['imported-facts', integrationId, syncedAt] as const,
  matchingTables: () => ['matching-tables'] as const,
  /** How many companies an integration has matched, and when the latest was: its card's setup step. */
  setupMatches: (integrationId: string) => ['setup-matches', integrationId] as const,
  matchingRecords: (integrationId: string) => ['matching-records', integrationId] as const,
  keptDecisions: (integrationId: string) => ['kept-decisions', integrationId] as const,
  connectedFields: (integrationId: string) => ['connected-fields', integrationId] as const,
  syncOptions: (integrationId: string) => ['sync-options', integrationId] as const,
  psaTypes: (integrationId: string) => ['psa-types', integrationId] as const,
  museum: (integrationId: string) => ['museum', integrationId] as const,
  log: (integrationId: string) => ['log', integrationId] as const,
  layouts: () => ['layouts'] as const,
  schedule: () => ['schedule'] as const,
  wholeReads: () => ['whole-reads'] as const,
  author: () => ['author'] as const,
  vault: () => ['vault'] as const,
  team: () => ['team'] as const,
  teamLeases: () => ['team-leases'] as const,
  managedTeam: () => ['managed-team'] as const,
  spaces: () => ['spaces'] as const,
  space: (spaceId: string) => ['space', spaceId] as const,
  companySpace: (psa: string, remoteId: string, integrationId: string) => ['company-space', psa, remoteId, integrationId] as const,
  spaceRecords: (spaceId: string) => ['space-records', spaceId] as const,
  spaceDocuments: (spaceId: string) => ['space-documents', spaceId] as const,
  history: (docId: string) => ['history', docId] as const,
  palette: (query: string) => ['palette', query] as const,
  /** The ticket form's lists for one company (#16); `refresh` counts the person's "Refresh lists". */
  ticketForm: (companyKey: string, refresh: number) => ['ticket-form', companyKey, refresh] as const,
  ticketPreview: (companyKey: string, input: unknown) => ['ticket-preview', companyKey, input] as const,
  ticketsOutbox: () => ['tickets-outbox'] as const,
  billing: (integrationId: string) => ['billing', integrationId] as const,
  billingLog: (integrationId: string) => ['billing-log', integrationId] as const,
  ticketSettings: (integrationId: string) => ['ticket-settings', integrationId] as const,
  companyChoices: (integrationId: string) => ['company-choices', integrationId] as const,
  contactChoices: (integrationId: string, companyRemoteId: string) => ['contact-choices', integrationId, companyRemoteId] as const,
  paletteDetails: (resultKey: string) => ['palette-details', resultKey] as const,
  overlayPrefs: (psa: DetectedPage['psa']) => ['overlay-prefs', psa] as const,
  /** Every overlay view: the prefix a match or a refresh invalidates. */
  overlayViews: () => ['overlay'] as const,
  overlayView: (page: DetectedPage) => ['overlay', page.psa, page.kind, page.id ?? ''] as const,
} as const;

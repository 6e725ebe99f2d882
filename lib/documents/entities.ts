import type { EntityKind } from '../psa/types';

/** The records a technician documents one by one (notes and credentials on a record). */
export const DOCUMENTED_ENTITIES = ['configuration', 'contact', 'site'] as const satisfies readonly EntityKind[];
export type DocumentedEntity = (typeof DOCUMENTED_ENTITIES)[number];

/** The projection's `spaceId` of an article for every client (its document says `spaceId: null`). */
export const GLOBAL_SPACE = '*';

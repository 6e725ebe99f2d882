import type { Transaction } from 'dexie';

/**
 * v10: a client space created from a PSA company follows that company's name (issue #14). Spaces
 * made before could not say so; one still named exactly as the one company matched to it is taken
 * to be such a space (a renamed or hand-made one differs, or has no company or several). Frozen:
 * the name rule is lib/match/client-space-name.ts's as v10 shipped.
 */

interface V10Space {
  id: string;
  name: string;
  nameFollows?: { integrationId: string; companyRemoteId: string };
}
interface V10Match {
  integrationId: string;
  companyRemoteId: string;
  state: string;
  clientSpaceId?: string;
}

const collapse = (name: string) => name.trim().replace(/\s+/g, ' ');

export async function followCompanyNamesFromNowOn(tx: Transaction): Promise<void> {
  const matches = (await tx.table('matches').toArray()) as V10Match[];
  const bySpace = new Map<string, V10Match[]>();
  for (const match of matches) {
    if (match.state !== 'matched' || !match.clientSpaceId) continue;
    bySpace.set(match.clientSpaceId, [...(bySpace.get(match.clientSpaceId) ?? []), match]);
  }
  const spaces = (await tx.table('clientSpaces').toArray()) as V10Space[];
  for (const space of spaces) {
    const only = bySpace.get(space.id);
    if (space.nameFollows || only?.length !== 1) continue;
    const { integrationId, companyRemoteId } = only[0]!;
    const company = (await tx.table('records').get([integrationId, 'company', companyRemoteId])) as { data?: { name?: unknown } } | undefined;
    const name = typeof company?.data?.name === 'string' ? collapse(company.data.name) : undefined;
    if (name && name === space.name) await tx.table('clientSpaces').update(space.id, { nameFollows: { integrationId, companyRemoteId } });
  }
}

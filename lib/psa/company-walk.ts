import type { EntityKind, PageResult } from './types';

/** Up to this many matched companies, child lists are read per company instead of all at once. */
export const PER_COMPANY_LIMIT = 5;

/**
 * Where a child list (contacts, sites, assets, ...) stands in a walk over the matched companies.
 * With few companies matched, Halo and BMS read each company's pages in turn (its id in the page
 * token); with many, or none known, they read the whole list.
 */
export interface CompanyWalk {
  /** The matched companies are known and there are none: nothing to read. */
  nothingToRead: boolean;
  perCompany: boolean;
  /** The company this page is read for (perCompany only). */
  companyId: number | undefined;
  /** The company to read next once this one's pages are done, if any. */
  nextIndex: number | undefined;
}

/**
 * `scope`: the matched company ids (null: all companies); `index`: the company the page token is
 * at; `perCompanyAllowed`: false for lists the API cannot filter by company.
 */
export function walkCompanies(scope: readonly string[] | null, index: number, perCompanyAllowed = true): CompanyWalk {
  const perCompany = !!scope && scope.length <= PER_COMPANY_LIMIT && perCompanyAllowed;
  return {
    nothingToRead: !!scope && scope.length === 0,
    perCompany,
    companyId: perCompany ? Number(scope[index]) : undefined,
    nextIndex: perCompany && index + 1 < scope.length ? index + 1 : undefined,
  };
}

/** The page of a walk that has nothing to read (a fresh object: the engine may keep it). */
export function emptyWalkPage<E extends EntityKind>(): PageResult<E> {
  return { records: [], rejected: [], nextPageToken: null, total: 0 };
}

import type { OverlayItem } from '@/lib/items/item-model';
import type { OverlayView } from '@/lib/overlay-view/view-model';
import { itemMatches } from '@/lib/items/filter';
import { ItemSection } from './item-list';

type ReadyView = Extract<OverlayView, { state: 'ready' }>;

/**
 * The search box over the company's records, kept at the top of the panel as it scrolls (#18):
 * the shortcut into the overlay lands here.
 */
export function CompanySearch({ query, onQuery }: { query: string; onQuery: (query: string) => void }) {
  return (
    <div className="sc-search-bar">
      <input
        className="sc-search"
        type="search"
        data-testid="sidecar-search"
        aria-label="Search this company"
        placeholder="Search this company’s records"
        value={query}
        onChange={(event) => onQuery(event.target.value)}
      />
    </div>
  );
}

/** The company's records by kind (configurations by layout), narrowed by the search box. */
export function CompanyRecords({ view, query }: { view: ReadyView; query: string }) {
  const only = (items: OverlayItem[]) => items.filter((item) => itemMatches(item, query));
  return (
    <>
      <ItemSection title="Contacts" testId="sidecar-contacts" items={only(view.contacts)} />
      {view.configurations.length ? (
        view.configurations.map((group) => <ItemSection key={group.layout} title={group.layout} testId="sidecar-configurations" items={only(group.items)} />)
      ) : (
        <ItemSection title="Configurations" testId="sidecar-configurations" items={[]} />
      )}
      <ItemSection title="Agreements" testId="sidecar-agreements" items={only(view.agreements)} />
      <ItemSection title="Sites" testId="sidecar-sites" items={only(view.sites)} />
    </>
  );
}

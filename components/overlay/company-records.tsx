import { useState } from 'react';
import type { OverlayItem } from '@/lib/items/item-model';
import type { OverlayView } from '@/lib/overlay-view/view-model';
import { itemMatches } from '@/lib/items/filter';
import { ItemSection } from './item-list';

type ReadyView = Extract<OverlayView, { state: 'ready' }>;

/** The company's records by kind (configurations by layout), narrowed by the search box above them. */
export function CompanyRecords({ view }: { view: ReadyView }) {
  const [query, setQuery] = useState('');
  const only = (items: OverlayItem[]) => items.filter((item) => itemMatches(item, query));
  return (
    <>
      <input
        className="sc-search"
        type="search"
        data-testid="sidecar-search"
        aria-label="Search this company"
        placeholder="Search this company"
        value={query}
        onChange={(event) => setQuery(event.target.value)}
      />
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

import { BOARDS, MEMBERS, PRIORITIES, TICKET_STATUSES } from './lookups.ts';
import type { CwRecord, CwRef, CwStore } from './store.ts';

/**
 * The service setup tables a new-ticket form reads (docs/psa/connectwise.md#creating-tickets):
 * boards with their own statuses and types (`/service/boards/{id}/statuses|types`), priorities,
 * sources and members. Field names and enums follow the contract's `Board`, `BoardStatus`,
 * `BoardType`, `Priority`, `Member` (pruned 2025.8 copy) and `Source` (full 2025.x contract).
 * Each list has an inactive row, so clients that forget to filter show it.
 */

const ADMIN_INFO = { lastUpdated: '2019-01-10T15:00:00Z', updatedBy: 'admin1', dateEntered: '2006-06-21T16:04:59Z', enteredBy: 'CONVERSION' };

/** Statuses belong to one board, so each board has its own ids: board b's copy of template t is t + 10·(b−1). */
export function boardStatusId(boardId: number, templateId: number): number {
  return templateId + (boardId - 1) * 10;
}

/** The status reference a ticket carries (capital `Sort`, the observed 2025.1 quirk). */
export function boardStatusRef(boardId: number, template: (typeof TICKET_STATUSES)[number]): CwRef & { Sort: number } {
  return { id: boardStatusId(boardId, template.id), name: template.name, Sort: template.Sort };
}

const RETIRED_BOARD = { id: 4, name: '99 - Old Help Desk' } as const;

/** Ticket types per board: [id, name, category, default]. */
const TYPES: Record<number, readonly (readonly [number, string, 'Reactive' | 'Proactive', boolean])[]> = {
  1: [
    [101, 'Incident', 'Reactive', true],
    [102, 'Service Request', 'Proactive', false],
    [103, 'Problem', 'Reactive', false],
  ],
  2: [
    [201, 'Onsite Visit', 'Reactive', true],
    [202, 'Installation', 'Proactive', false],
  ],
  3: [[301, 'Project Task', 'Proactive', true]],
  4: [[401, 'Old Type', 'Reactive', true]],
};

export const SOURCES = [
  { id: 1, name: 'Phone', defaultFlag: true },
  { id: 2, name: 'Email', defaultFlag: false },
  { id: 3, name: 'Portal', defaultFlag: false },
  { id: 4, name: 'Walk In', defaultFlag: false },
  { id: 6, name: 'Email Connector', defaultFlag: false },
] as const;

const PRIORITY_COLORS: Record<number, string> = { 8: 'Red', 9: 'Orange', 10: 'Green', 12: 'Blue' };

export function seedServiceSetup(store: CwStore): void {
  const boards = [...BOARDS, RETIRED_BOARD];
  for (const b of boards) {
    const retired = b.id === RETIRED_BOARD.id;
    const board = store.boards.insert({
      id: b.id,
      name: b.name,
      location: { id: 2, name: 'Main' },
      department: { id: 1, identifier: 'Service', name: 'Service' },
      inactiveFlag: retired,
      projectFlag: b.id === 3,
      sendToContactFlag: false,
      sendToResourceFlag: false,
      billTicketsAfterClosedFlag: false,
      billTicketSeparatelyFlag: false,
      autoAssignNewTicketsFlag: false,
      billTime: 'Billable',
      billExpense: 'Billable',
      billProduct: 'Billable',
      _info: { ...ADMIN_INFO },
    });
    const boardRef = store.namedRef('board', board);
    for (const t of TICKET_STATUSES)
      store.boardStatuses.insert({
        id: boardStatusId(b.id, t.id),
        name: t.name,
        board: boardRef,
        sortOrder: t.Sort,
        displayOnBoard: true,
        inactive: false,
        closedStatus: t.name === '>Closed',
        timeEntryNotAllowed: false,
        roundRobinCatchall: false,
        defaultFlag: t.name === 'New',
        escalationStatus: t.name === 'New' ? 'NotResponded' : t.name === '>Closed' ? 'Resolved' : 'Responded',
        customerPortalFlag: true,
        _info: { ...ADMIN_INFO },
      });
    store.boardStatuses.insert({
      id: boardStatusId(b.id, 19),
      name: 'zz Old - do not use',
      board: boardRef,
      sortOrder: 99,
      displayOnBoard: false,
      inactive: true,
      closedStatus: false,
      defaultFlag: false,
      escalationStatus: 'NoEscalation',
      _info: { ...ADMIN_INFO },
    });
    for (const [id, name, category, isDefault] of TYPES[b.id] ?? [])
      store.boardTypes.insert({
        id,
        name,
        category,
        defaultFlag: isDefault,
        inactiveFlag: false,
        requestForChangeFlag: false,
        board: boardRef,
        _info: { ...ADMIN_INFO },
      });
    store.boardTypes.insert({
      id: b.id * 100 + 99,
      name: 'Retired type',
      category: 'Reactive',
      defaultFlag: false,
      inactiveFlag: true,
      board: boardRef,
      _info: { ...ADMIN_INFO },
    });
  }
  for (const p of PRIORITIES)
    store.priorities.insert({
      id: p.id,
      name: p.name,
      color: PRIORITY_COLORS[p.id] ?? 'Gray',
      sortOrder: p.sort,
      defaultFlag: p.id === 10,
      level: p.level,
      _info: { ...ADMIN_INFO },
    });
  for (const s of SOURCES) store.sources.insert({ ...s, enteredBy: 'CONVERSION', dateEntered: ADMIN_INFO.dateEntered, _info: { ...ADMIN_INFO } });
  const members: CwRecord[] = [
    ...MEMBERS.map((m) => member(m.id, m.identifier, m.name, 'F', false)),
    member(170, 'SidecarAPI', 'Sidecar API', 'A', false), // an API member: it cannot own tickets
    member(171, 'oldtech', 'Pat Former', 'F', true),
  ];
  for (const m of members) store.members.insert(m);
}

function member(id: number, identifier: string, name: string, licenseClass: 'A' | 'F', inactive: boolean): CwRecord {
  const [firstName, ...rest] = name.split(' ');
  return {
    id,
    identifier,
    firstName,
    lastName: rest.join(' '),
    licenseClass,
    inactiveFlag: inactive,
    disableOnlineFlag: false,
    title: licenseClass === 'A' ? 'API Member' : 'Service Technician',
    officeEmail: `${identifier}@sidecar-test-msp.example`,
    primaryEmail: `${identifier}@sidecar-test-msp.example`,
    defaultEmail: 'Office',
    defaultPhone: 'Office',
    _info: { ...ADMIN_INFO },
  };
}

/** `MemberReference` as tickets carry it. */
export function memberRef(store: CwStore, row: CwRecord): CwRef {
  return store.ref('member', row.id, () => ({
    id: row.id,
    identifier: row.identifier as string,
    name: `${String(row.firstName)} ${String(row.lastName)}`.trim(),
  }));
}

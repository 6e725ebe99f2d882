import type { DocRow } from '../../lib/db/schema';
import { projectedRow } from '../../lib/documents/projector';

/**
 * Technicians' documentation for the search bench, made deterministically (a seed): articles of
 * a few hundred words (headings, lists, device names) in client spaces or global, and custom field
 * values on configurations (serials, addresses, dates, short text). Projected as the projector
 * projects them (its words), so the index holds what it would in the extension.
 */

export const BENCH_SOURCE = 'connectwise:bench.example:bench';

const COMMON =
  'the a an and or to of in on for with by at from this that is are be was it as not if then when after before each every all any your our their check make sure run open close restart reboot log in out new old first next last only'.split(
    ' ',
  );
const IT =
  'backup restore snapshot offsite nas san raid disk volume firewall vpn tunnel switch router vlan subnet gateway dns dhcp domain controller active directory group policy printer scanner driver spooler mailbox exchange outlook teams sharepoint onedrive licence license tenant azure entra mfa password reset account onboarding offboarding laptop desktop workstation server hypervisor vmware hyperv cluster failover replication certificate renewal expiry ssl tls wifi access point ssid guest network cabling patch panel rack ups battery generator alarm camera nvr badge door reception voip phone extension hunt group queue antivirus endpoint edr patching update windows linux macos ubuntu intune autopilot compliance encryption bitlocker recovery key escalation vendor warranty ticket invoice contract sla maintenance window change approval rollback monitoring alert threshold cpu memory storage bandwidth latency outage incident runbook procedure checklist'.split(
    ' ',
  );

function random(seed: number): () => number {
  let state = seed;
  return () => (state = (state * 48271) % 2147483647) / 2147483647;
}

const stamps = { schema: 1, createdAt: 1, createdBy: { installId: 'bench', name: 'Bench' }, updatedAt: 1, updatedBy: { installId: 'bench', name: 'Bench' } };

/**
 * `spaces`: client space ids; `configurations`: remote ids and names of configurations (of
 * companies that are client spaces); `source`: their PSA tenant (`sourceKeyFor`).
 */
export function benchDocuments(options: {
  articles: number;
  fieldValues: number;
  spaces: string[];
  configurations: { remoteId: string; name: string }[];
  source?: string;
  seed?: number;
}): DocRow[] {
  const next = random(options.seed ?? 11);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
  const rows: DocRow[] = [];
  const sentence = () => {
    const words = Array.from({ length: 6 + Math.floor(next() * 10) }, () => (next() < 0.55 ? pick(COMMON) : pick(IT)));
    if (next() < 0.2) words.push(pick(options.configurations).name);
    if (next() < 0.1) words.push(`${pick(IT)}${Math.floor(next() * 100)}`);
    return `${words.join(' ')}.`;
  };
  for (let index = 0; index < options.articles; index += 1) {
    const parts: string[] = [];
    for (let section = 1 + Math.floor(next() * 4); section > 0; section -= 1) {
      parts.push(`## ${pick(IT)} ${pick(IT)}`, Array.from({ length: 3 + Math.floor(next() * 6) }, sentence).join(' '));
      if (next() < 0.5) parts.push(Array.from({ length: 3 }, () => `- [ ] ${sentence()}`).join('\n'));
    }
    const title = `${pick(IT)} ${pick(IT)} ${pick(['procedure', 'checklist', 'guide', 'notes', 'runbook'])}`;
    const spaceId = next() < 0.2 ? null : pick(options.spaces);
    rows.push(projectedRow({ _id: `article:bench-${index}`, _rev: '1-a', kind: 'article', spaceId, title, body: parts.join('\n\n'), ...stamps }));
  }
  for (let index = 0; index < options.fieldValues; index += 1) {
    const configuration = options.configurations[index % options.configurations.length]!;
    const kind = index % 5;
    const value =
      kind === 0
        ? { type: 'text', v: `${pick(['WX', 'SN', 'CZ', 'DL'])}${100000 + Math.floor(next() * 900000)}` }
        : kind === 1
          ? { type: 'text', v: `10.${Math.floor(next() * 256)}.${Math.floor(next() * 256)}.${1 + Math.floor(next() * 254)}` }
          : kind === 2
            ? { type: 'date', v: `20${20 + Math.floor(next() * 10)}-0${1 + Math.floor(next() * 9)}-1${Math.floor(next() * 10)}` }
            : kind === 3
              ? { type: 'number', v: Math.floor(next() * 10_000) }
              : { type: 'text', v: `${pick(['Rack', 'Closet', 'Shelf', 'Cabinet'])} ${1 + Math.floor(next() * 20)}, ${pick(IT)}` };
    rows.push(
      projectedRow({
        _id: `field:bench-${index}`,
        _rev: '1-a',
        kind: 'field',
        record: { source: options.source ?? BENCH_SOURCE, entity: 'configuration', remoteId: configuration.remoteId },
        layoutId: 'layout-bench',
        fieldId: `f${Math.floor(index / options.configurations.length)}`,
        value,
        ...stamps,
      }),
    );
  }
  if (rows.some((row) => row.invalid)) throw new Error(`A bench document does not parse: ${rows.find((row) => row.invalid)!.invalid}`);
  return rows;
}

/** Palette queries for documents: article words (exact, misspelt, two together) and field values (whole, a start). */
export function documentQueries(rows: DocRow[], count: number, seed = 5): string[] {
  const next = random(seed);
  const articles = rows.filter((row) => row.kind === 'article');
  const fields = rows.filter((row) => row.kind === 'field' && (row.doc.value as { type: string }).type === 'text');
  const queries: string[] = [];
  if (!articles.length || !fields.length) return queries;
  for (let index = 0; queries.length < count; index += 1) {
    const words = articles[Math.floor(next() * articles.length)]!.words.filter((word) => word.length > 4);
    const word = words[Math.floor(next() * words.length)] ?? 'backup';
    const value = String((fields[Math.floor(next() * fields.length)]!.doc.value as { v: string }).v).toLowerCase();
    const variant = index % 5;
    queries.push(
      variant === 0
        ? word
        : variant === 1
          ? `${word.slice(0, 2)}${word[3]}${word[2]}${word.slice(4)}`
          : variant === 2
            ? `${word} ${words[Math.floor(next() * words.length)] ?? ''}`.trim()
            : variant === 3
              ? value
              : value.slice(0, 5),
    );
  }
  return queries;
}

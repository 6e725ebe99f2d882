import type {
  SetupImportDone,
  ClientSpaceRow,
  ConnectedField,
  IntegrationOptions,
  IntegrationRow,
  LayoutRow,
  MatchRow,
  SidecarDb,
  SortRuleRow,
} from '../db/schema';
import { resortAll } from '../layouts/resort';
import {
  connectionProblems,
  deactivationProblem,
  layoutProblems,
  normaliseLayoutName,
  sortRuleProblems,
  syncLocationProblems,
  type LayoutFacts,
  type Problem,
  type RuleInput,
} from '../layouts/validate';
import { HandledError } from '../errors';
import { tidySkip } from '../sync/options';
import { applyOptionsChange, planOptionsChange } from '../sync/options-service';
import { parseSetup, type SetupFile } from './format';
import { checkDocuments, documentsHere, openFileCredentials, writeDocuments, type FileDocument } from './documents';
import type { DocumentService } from '../documents/service';

export interface ImportSummary {
  layouts: number;
  clientSpaces: number;
  integrations: number;
  /** Integrations in the file that are not configured here (add them, then import again). */
  notConfigured: string[];
  moved: number;
  /** Documents of the file written (new, or edits of those here); `documentsUnchanged` were already as in the file. */
  documents: number;
  documentsUnchanged: number;
}

export interface ImportOptions {
  now?: number;
  /** The passphrase typed for the file's credentials. */
  passphrase?: string | undefined;
  /** Where documents are written (the background's DocumentService); without it, a file with documents is refused. */
  documents?: Pick<DocumentService, 'exclusive'>;
}

/** What is here before the import, as the checks need it. */
export interface SetupHere {
  layouts: LayoutRow[];
  clientSpaces: ClientSpaceRow[];
  integrations: IntegrationRow[];
}

/** One configured integration's share of the file, checked and ready to write. */
interface IntegrationImport {
  integration: IntegrationRow;
  options?: IntegrationOptions;
  rules: RuleInput[];
  matches: { companyRemoteId: string; state: MatchRow['state']; clientSpaceId?: string }[];
}

export type ImportPlan = { ok: false; problems: string[] } | { ok: true; layouts: SetupFile['layouts']; apply: IntegrationImport[]; notConfigured: string[] };

/** At most this many problems are listed; the rest are counted. */
const LISTED_PROBLEMS = 20;

const listed = (problems: string[]) =>
  [...problems.slice(0, LISTED_PROBLEMS), ...(problems.length > LISTED_PROBLEMS ? [`…and ${problems.length - LISTED_PROBLEMS} more problems.`] : [])].join(
    '\n',
  );

/**
 * Applies a setup file: every rule the options page applies to what the file sets
 * (lib/layouts/validate.ts, and the sync options' own tidying, archiving and re-reading) is
 * checked against what is here, and every document against the store's schema and its references
 * (./documents.ts); every problem is reported with its place in the file, and nothing is written
 * unless all of it can be. Integrations are matched by PSA and web address; those not configured
 * here are reported, not created (they need credentials).
 *
 * Order: all checks (and the file's credentials opened) before any write; then the documents in
 * one `bulkDocs`, then the setup in one Dexie transaction, which checks the setup again with the
 * same planImport; if that fails, the documents are put back (./documents.ts writeDocuments).
 */
export async function importSetup(db: SidecarDb, text: string, options: ImportOptions = {}): Promise<ImportSummary> {
  const now = options.now ?? Date.now();
  const parsed = parseSetup(text);
  if (!parsed.ok) throw new HandledError('invalid-file', listed(parsed.errors));
  const { setup } = parsed;

  const here = await readHere(db);
  const plan = planImport(setup, here);
  const documents = (setup.documents ?? []) as FileDocument[];
  const docCheck = documents.length ? await checkDocuments(documents, documentsHere(setup, here)) : { problems: [], checked: [] };
  const problems = [...(plan.ok ? [] : plan.problems), ...docCheck.problems];
  if (problems.length) throw new HandledError('invalid-file', listed(problems));
  const opened = await openFileCredentials(setup, docCheck.checked, options.passphrase);
  if (opened.problems.length) throw new HandledError('invalid-file', listed(opened.problems));

  const writeSetup = (importId?: string) =>
    db.transaction('rw', [db.layouts, db.clientSpaces, db.integrations, db.sortRules, db.matches, db.records, db.cursors, db.preferences], async () => {
      // With documents: this import's setup part committed (./documents.ts recoverSetupImport reads it).
      if (importId) {
        const done: SetupImportDone = { id: 'setup-import', importId, at: now };
        await db.preferences.put(done);
      }
      const { layouts, clientSpaces, integrations } = await readHere(db);
      const plan = planImport(setup, { layouts, clientSpaces, integrations });
      if (!plan.ok) throw new HandledError('invalid-file', listed(plan.problems));

      const layoutHere = new Map(layouts.map((layout) => [layout.id, layout]));
      await db.layouts.bulkPut(
        plan.layouts.map((layout) => ({ ...layoutHere.get(layout.id), ...layout, createdAt: layoutHere.get(layout.id)?.createdAt ?? now })),
      );
      const spaceHere = new Map(clientSpaces.map((space) => [space.id, space]));
      await db.clientSpaces.bulkPut(setup.clientSpaces.map((space) => ({ ...space, createdAt: spaceHere.get(space.id)?.createdAt ?? now })));
      for (const { integration, options, rules, matches } of plan.apply) {
        // As saving them on the options page: records the options leave out are archived, what they bring back is read again.
        if (options) await applyOptionsChange(db, await planOptionsChange(db, integration, options), now);
        await db.sortRules.where('integrationId').equals(integration.id).delete();
        await db.sortRules.bulkAdd(rules.map((rule, order): SortRuleRow => ({ id: crypto.randomUUID(), integrationId: integration.id, order, ...rule })));
        await db.matches.bulkPut(matches.map((match): MatchRow => ({ integrationId: integration.id, ...match, decidedAt: now })));
      }
      const moved = await resortAll(db); // in this transaction too: the import and the records it re-files land together
      return {
        layouts: plan.layouts.length,
        clientSpaces: setup.clientSpaces.length,
        integrations: plan.apply.length,
        notConfigured: plan.notConfigured,
        moved,
      };
    });

  if (!docCheck.checked.length) return { ...(await writeSetup()), documents: 0, documentsUnchanged: 0 };
  if (!options.documents) throw new HandledError('unavailable', 'Documents cannot be imported here.');
  return options.documents.exclusive(async (context) => {
    const { result, written, unchanged } = await writeDocuments({ db, ...context }, docCheck.checked, opened.secrets, writeSetup, now);
    return { ...result, documents: written, documentsUnchanged: unchanged };
  });
}

const readHere = async (db: SidecarDb): Promise<SetupHere> => {
  const [layouts, clientSpaces, integrations] = await Promise.all([db.layouts.toArray(), db.clientSpaces.toArray(), db.integrations.toArray()]);
  return { layouts, clientSpaces, integrations };
};

/** A place in the file for messages: `layouts.2 (Printers)`, with long names cut. */
function place(list: string, index: number, name: string): string {
  const shown = name.trim();
  if (!shown) return `${list}.${index}`;
  return `${list}.${index} (${shown.length > 40 ? `${shown.slice(0, 39)}…` : shown})`;
}

/** A validator's problem as a line of the report: where in the file, then what is wrong. */
const reported = (at: string, problem: Problem) =>
  `${[at, ...problem.path].join('.')}: ${problem.missing ? `${problem.missing} is neither in the file nor here.` : problem.message}`;

/** The first index at which each key was seen, and a message for each later repeat. */
function repeats<T>(items: readonly T[], keyOf: (item: T) => string, report: (index: number, first: number) => string): string[] {
  const first = new Map<string, number>();
  const problems: string[] = [];
  for (const [index, item] of items.entries()) {
    const key = keyOf(item);
    const seen = first.get(key);
    if (seen === undefined) first.set(key, index);
    else problems.push(report(index, seen));
  }
  return problems;
}

/**
 * Checks a parsed setup file against what is here with the options page's rules, and works out
 * what to write. Pure: importSetup runs it inside the transaction that writes.
 */
export function planImport(setup: SetupFile, here: SetupHere): ImportPlan {
  const problems: string[] = [];
  const layoutHere = new Map(here.layouts.map((layout) => [layout.id, layout]));
  const fileLayoutIds = new Set(setup.layouts.map((layout) => layout.id));
  const layouts = setup.layouts.map((layout) => ({ ...layout, name: normaliseLayoutName(layout.name) }));

  // The layouts as they will be: those here, with the file's replacing or joining them.
  const layoutsAfter = new Map<string, LayoutFacts>(here.layouts.map((layout) => [layout.id, layout]));
  const fromFile = new Set<string>();
  for (const layout of layouts) {
    if (fromFile.has(layout.id)) continue; // an id repeated in the file is reported once, at the repeat
    fromFile.add(layout.id);
    layoutsAfter.set(layout.id, layout);
  }

  // Which configured integration each entry is for; their options replace those here.
  const targets = setup.integrations.map((entry) =>
    here.integrations.find((integration) => integration.psa === entry.psa && integration.uiOrigin === entry.uiOrigin),
  );
  const optionsReplaced = new Set(setup.integrations.flatMap((entry, index) => (entry.options && targets[index] ? [targets[index].id] : [])));
  const locationsKept = here.integrations.filter((integration) => !optionsReplaced.has(integration.id));

  problems.push(
    ...repeats(
      setup.layouts,
      (layout) => layout.id,
      (index, first) => `layouts.${index}.id: layout ${setup.layouts[index]!.id} is also layouts.${first}.`,
    ),
  );
  const keptNames = here.layouts.filter((layout) => !fileLayoutIds.has(layout.id));
  for (const [index, layout] of layouts.entries()) {
    const at = place('layouts', index, layout.name);
    problems.push(
      ...repeats(
        layout.fields,
        (field) => field.id,
        (fieldIndex, first) => `${at}.fields.${fieldIndex}.id: field ${layout.fields[fieldIndex]!.id} is also fields.${first} of this layout.`,
      ),
    );
    // Names are unique among the layouts that will be: those here the file leaves alone, and the file's earlier ones.
    for (const problem of layoutProblems(layout, [...keptNames, ...layouts.slice(0, index)])) problems.push(reported(at, problem));
    const previous = layoutHere.get(layout.id);
    if (previous?.active && !layout.active) {
      const inUse = deactivationProblem(previous, locationsKept);
      if (inUse) problems.push(reported(at, inUse));
    }
  }

  problems.push(
    ...repeats(
      setup.clientSpaces,
      (space) => space.id,
      (index, first) => `clientSpaces.${index}.id: client space ${setup.clientSpaces[index]!.id} is also clientSpaces.${first}.`,
    ),
  );
  const spaceIds = new Set([...here.clientSpaces.map((space) => space.id), ...setup.clientSpaces.map((space) => space.id)]);

  const apply: IntegrationImport[] = [];
  const notConfigured: string[] = [];
  problems.push(
    ...repeats(
      setup.integrations,
      (entry) => `${entry.psa} ${entry.uiOrigin}`,
      (index, first) =>
        `${place('integrations', index, setup.integrations[index]!.label ?? setup.integrations[index]!.uiOrigin)}: the same PSA and address as integrations.${first}; keep one.`,
    ),
  );
  for (const [index, entry] of setup.integrations.entries()) {
    const at = place('integrations', index, entry.label ?? entry.uiOrigin);
    let options: IntegrationOptions | undefined;
    if (entry.options) {
      const { syncLocations, skip, connectedFields, ...flags } = entry.options;
      for (const problem of syncLocationProblems(syncLocations, layoutsAfter)) problems.push(reported(`${at}.options.syncLocations`, problem));
      let connections: ConnectedField[] | undefined;
      if (connectedFields) {
        const checked = connectionProblems(connectedFields, layoutsAfter);
        for (const problem of checked.problems) problems.push(reported(`${at}.options.connectedFields`, problem));
        connections = checked.connections;
      }
      options = { syncLocations, ...flags, ...(skip ? { skip: tidySkip(skip) } : {}), ...(connections ? { connectedFields: connections } : {}) };
    }
    const rules = sortRuleProblems(entry.sortRules, layoutsAfter);
    for (const problem of rules.problems) problems.push(reported(`${at}.sortRules`, problem));
    problems.push(
      ...repeats(
        entry.matches,
        (match) => match.companyRemoteId,
        (matchIndex, first) => `${at}.matches.${matchIndex}: company ${entry.matches[matchIndex]!.companyRemoteId} is also matches.${first}.`,
      ),
    );
    for (const [matchIndex, match] of entry.matches.entries()) {
      if (match.state === 'matched' && !match.clientSpaceId)
        problems.push(`${at}.matches.${matchIndex}: a matched company needs its client space ("clientSpaceId").`);
      else if (match.state === 'matched' && !spaceIds.has(match.clientSpaceId!))
        problems.push(`${at}.matches.${matchIndex}: client space ${match.clientSpaceId} is neither in the file nor here.`);
      else if (match.state === 'unmatched' && match.clientSpaceId) {
        problems.push(`${at}.matches.${matchIndex}: an unmatched company has no client space: remove "clientSpaceId" or make it "matched".`);
      }
    }
    const integration = targets[index];
    if (integration) apply.push({ integration, ...(options ? { options } : {}), rules: rules.rules, matches: entry.matches });
    else notConfigured.push(entry.label ?? `${entry.psa} at ${entry.uiOrigin}`);
  }
  return problems.length ? { ok: false, problems } : { ok: true, layouts, apply, notConfigured };
}

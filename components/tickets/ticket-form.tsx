import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { onTrusted } from '@/lib/content/gesture';
import type { TicketInput, TicketPerson } from '@/lib/tickets/input';
import type { OutboxItem, TicketFormViewWire, TicketPreviewWire } from '@/lib/tickets/view-model';
import { queryKeys } from '@/components/ui/query-keys';
import { StatusMessage } from '@/components/ui/status-message';
import { useAction } from '@/components/ui/use-action';
import { Button } from '@/components/ui/button';

/** How the form reaches the background: the overlay through its host link, the popup directly. */
export interface TicketApi {
  /** A key naming the company (queries are cached under it). */
  key: string;
  form(refresh: boolean): Promise<TicketFormViewWire>;
  preview(input: TicketInput): Promise<TicketPreviewWire>;
  create(input: TicketInput): Promise<OutboxItem>;
}

export interface TicketStart {
  contactRemoteId?: string;
  configurationRemoteId?: string;
}

const OUTSIDER = '__outsider__';
const reasonText: Record<TicketPreviewWire['fields'][number]['reason'], string> = {
  picked: 'your choice',
  rule: 'rule',
  default: 'this integration’s default',
  'psa-default': 'the PSA’s default',
  'primary-site': 'the company’s main site',
  unset: 'not set',
};

function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

/**
 * "New ticket" (#16): title, details, contact (or someone not in the PSA), configurations and the
 * PSA's own fields. A live preview says what each field will be and why (a rule, a default), and
 * shows exactly what will be sent; Create puts the ticket in the outbox, sent at once when the PSA
 * answers. Only a person's click or Enter creates.
 */
export function TicketForm({ api, start, onClose, onCreated }: { api: TicketApi; start: TicketStart; onClose: () => void; onCreated?: () => unknown }) {
  const [refresh, setRefresh] = useState(0);
  const formQuery = useQuery({ queryKey: queryKeys.ticketForm(api.key, refresh), queryFn: () => api.form(refresh > 0) });
  const [input, setInput] = useState<TicketInput>({
    title: '',
    message: '',
    person: start.contactRemoteId ? { kind: 'contact', remoteId: start.contactRemoteId } : { kind: 'none' },
    configurationRemoteIds: start.configurationRemoteId ? [start.configurationRemoteId] : [],
    picks: {},
  });
  const [created, setCreated] = useState<OutboxItem>();
  // Opened from a row far down the overlay: the form comes into view with the title focused.
  const titleField = useRef<HTMLInputElement>(null);
  const formReady = formQuery.isSuccess;
  useEffect(() => {
    if (!formReady) return;
    titleField.current?.scrollIntoView({ block: 'nearest' });
    titleField.current?.focus();
  }, [formReady]);
  const settled = useDebounced(input, 250);
  const previewQuery = useQuery({
    queryKey: queryKeys.ticketPreview(api.key, settled),
    queryFn: () => api.preview(settled),
    enabled: formQuery.isSuccess,
    placeholderData: keepPreviousData,
  });
  const creating = useAction((payload: TicketInput) => api.create(payload), {
    onSuccess: (item) => {
      setCreated(item);
      return onCreated?.();
    },
  });
  const submit = onTrusted((_event: FormEvent) => void creating.run(input));

  if (created) return <TicketOutcome item={created} onClose={onClose} />;
  if (formQuery.isPending) return <p className="sc-muted">Reading the PSA’s ticket lists…</p>;
  if (formQuery.isError) {
    return (
      <div className="sc-ticket-form">
        <p className="sc-error" role="alert" data-testid="sidecar-ticket-form-error">
          {formQuery.error instanceof Error ? formQuery.error.message : 'The PSA’s ticket lists could not be read.'}
        </p>
        <button type="button" className="sc-icon" onClick={onClose}>
          Close
        </button>
      </div>
    );
  }
  const view = formQuery.data;
  const preview = previewQuery.data;
  const errors = { ...(preview?.errors ?? {}), ...creating.fieldErrors };
  const set = (patch: Partial<TicketInput>) => setInput((current) => ({ ...current, ...patch }));
  const composedValue = (key: string) => preview?.fields.find((field) => field.key === key)?.choiceId;

  return (
    <form
      className="sc-ticket-form"
      aria-label={`New ticket for ${view.companyName}`}
      data-testid="sidecar-ticket-form"
      onSubmit={(event) => {
        event.preventDefault();
        submit(event);
      }}
    >
      <h3>New ticket for {view.companyName}</h3>
      <label>
        Title
        <input
          ref={titleField}
          value={input.title}
          maxLength={500}
          onChange={(event) => set({ title: event.target.value })}
          data-testid="sidecar-ticket-title"
        />
      </label>
      <FieldError text={errors.title} />
      <label>
        Details
        <textarea rows={4} value={input.message} onChange={(event) => set({ message: event.target.value })} data-testid="sidecar-ticket-message" />
      </label>
      <PersonPicker view={view} person={input.person} onChange={(person) => set({ person })} />
      <FieldError text={errors.person} testId="sidecar-ticket-error-person" />
      <ConfigurationPicker view={view} chosen={input.configurationRemoteIds} onChange={(configurationRemoteIds) => set({ configurationRemoteIds })} />
      <FieldError text={errors.configurations} />
      {view.form.fields.map((field) => {
        const choices =
          field.source === 'company-sites'
            ? view.sites.map((site) => ({ id: site.remoteId, name: site.name }))
            : field.source === 'company-agreements'
              ? view.agreements.map((agreement) => ({ id: agreement.remoteId, name: agreement.name }))
              : (view.form.choices[field.key] ?? []).filter(
                  (choice) => !field.dependsOn || choice.parentId === undefined || choice.parentId === composedValue(field.dependsOn),
                );
        const composed = preview?.fields.find((item) => item.key === field.key);
        const automatic =
          composed && composed.reason !== 'picked' && composed.choiceName
            ? `${composed.choiceName} (${composed.because ?? reasonText[composed.reason]})`
            : 'not set';
        return (
          <div key={field.key}>
            <label>
              {field.label}
              {field.required ? ' *' : ''}
              <select
                value={input.picks[field.key] ?? ''}
                onChange={(event) => {
                  const picks = { ...input.picks };
                  if (event.target.value) picks[field.key] = event.target.value;
                  else delete picks[field.key];
                  set({ picks });
                }}
                data-testid={`sidecar-ticket-field-${field.key}`}
              >
                <option value="">Automatic: {automatic}</option>
                {choices.map((choice) => (
                  <option key={choice.id} value={choice.id}>
                    {choice.name}
                  </option>
                ))}
              </select>
            </label>
            <FieldError text={errors[field.key]} testId={`sidecar-ticket-error-${field.key}`} />
          </div>
        );
      })}
      {preview ? <PreviewBlock preview={preview} /> : null}
      <StatusMessage status={creating.status} role="alert" className="sc-error" />
      <div className="sc-note-actions">
        <Button
          type="submit"
          className="sc-primary"
          disabled={creating.isPending || !preview || previewQuery.isFetching || Object.keys(preview.errors).length > 0}
          data-testid="sidecar-ticket-create"
        >
          {creating.isPending ? 'Creating…' : 'Create ticket'}
        </Button>
        <button type="button" className="sc-icon" onClick={onClose}>
          Cancel
        </button>
        <button
          type="button"
          className="sc-icon"
          onClick={() => setRefresh((count) => count + 1)}
          title="Read the PSA’s queues, statuses and other lists again"
        >
          Refresh lists
        </button>
      </div>
    </form>
  );
}

function FieldError({ text, testId }: { text?: string; testId?: string }) {
  return text ? (
    <p className="sc-error" role="alert" data-testid={testId}>
      {text}
    </p>
  ) : null;
}

function PersonPicker({ view, person, onChange }: { view: TicketFormViewWire; person: TicketPerson; onChange: (person: TicketPerson) => void }) {
  const value = person.kind === 'contact' ? person.remoteId : person.kind === 'outsider' ? OUTSIDER : '';
  return (
    <>
      <label>
        Contact
        <select
          value={value}
          onChange={(event) => {
            const next = event.target.value;
            onChange(next === OUTSIDER ? { kind: 'outsider', name: '', email: '' } : next ? { kind: 'contact', remoteId: next } : { kind: 'none' });
          }}
          data-testid="sidecar-ticket-contact"
        >
          <option value="">No contact</option>
          {view.contacts.map((contact) => (
            <option key={contact.remoteId} value={contact.remoteId}>
              {contact.name}
              {contact.email ? ` (${contact.email})` : ''}
            </option>
          ))}
          <option value={OUTSIDER}>Someone not in the PSA…</option>
        </select>
      </label>
      {person.kind === 'outsider' ? (
        <div className="sc-outsider">
          <label>
            Their name
            <input value={person.name} onChange={(event) => onChange({ ...person, name: event.target.value })} data-testid="sidecar-ticket-outsider-name" />
          </label>
          <label>
            Their e-mail
            <input type="email" value={person.email} onChange={(event) => onChange({ ...person, email: event.target.value })} />
          </label>
          <p className="sc-muted" data-testid="sidecar-ticket-catch-all">
            {view.catchAll
              ? 'Not a contact in the PSA: the ticket is filed under this integration’s catch-all contact, with their name and e-mail in the details.'
              : 'Not a contact in the PSA, and this integration has no catch-all contact yet (Options › Tickets).'}
          </p>
        </div>
      ) : null}
    </>
  );
}

function ConfigurationPicker({ view, chosen, onChange }: { view: TicketFormViewWire; chosen: string[]; onChange: (ids: string[]) => void }) {
  const byId = useMemo(() => new Map(view.configurations.map((row) => [row.remoteId, row])), [view.configurations]);
  const left = view.configurations.filter((row) => !chosen.includes(row.remoteId));
  return (
    <div className="sc-configurations">
      <span>Configurations</span>
      <ul data-testid="sidecar-ticket-configurations">
        {chosen.map((id) => (
          <li key={id}>
            {byId.get(id)?.name ?? id} <span className="sc-muted">{byId.get(id)?.typeName}</span>{' '}
            <button
              type="button"
              className="sc-icon"
              aria-label={`Remove ${byId.get(id)?.name ?? id}`}
              onClick={() => onChange(chosen.filter((other) => other !== id))}
            >
              Remove
            </button>
          </li>
        ))}
      </ul>
      <select
        value=""
        aria-label="Add a configuration"
        onChange={(event) => event.target.value && onChange([...chosen, event.target.value])}
        data-testid="sidecar-ticket-add-configuration"
      >
        <option value="">Add a configuration…</option>
        {left.map((row) => (
          <option key={row.remoteId} value={row.remoteId}>
            {row.name} ({row.typeName})
          </option>
        ))}
      </select>
    </div>
  );
}

function PreviewBlock({ preview }: { preview: TicketPreviewWire }) {
  return (
    <section className="sc-ticket-preview" aria-label="What will be sent" data-testid="sidecar-ticket-preview">
      <h4>What will be sent</h4>
      {preview.filedUnderCatchAll ? <p className="sc-muted">Filed under the catch-all contact for {preview.filedUnderCatchAll.person}.</p> : null}
      <dl className="sc-fields">
        {preview.fields.map((field) => (
          <div className="sc-field" key={field.key} data-testid={`sidecar-ticket-preview-${field.key}`}>
            <dt>{field.label}</dt>
            <dd>
              {field.choiceName ?? '—'} <span className="sc-muted">({field.because ?? reasonText[field.reason]})</span>
            </dd>
          </div>
        ))}
      </dl>
      {preview.appended.map((item, index) => (
        <p key={index} className="sc-muted" data-testid="sidecar-ticket-appended">
          Appended by {item.because}: {item.text}
        </p>
      ))}
      <details>
        <summary>Exactly what will be sent</summary>
        <pre data-testid="sidecar-ticket-request">
          {preview.request.method} {preview.request.path}
          {'\n'}
          {JSON.stringify(preview.request.body, null, 2)}
        </pre>
      </details>
    </section>
  );
}

function TicketOutcome({ item, onClose }: { item: OutboxItem; onClose: () => void }) {
  const number = item.ticket?.ticketNumber ?? item.ticket?.ticketId;
  return (
    <div className="sc-ticket-form" data-testid="sidecar-ticket-outcome" data-state={item.state}>
      {item.state === 'created' ? (
        <p role="status">
          Created ticket{' '}
          {item.url ? (
            <a href={item.url} target="_top" data-testid="sidecar-ticket-link">
              #{number}
            </a>
          ) : (
            `#${number}`
          )}
          : {item.title}
        </p>
      ) : item.state === 'failed' ? (
        <p role="alert" className="sc-error">
          The PSA refused the ticket: {item.lastError?.message ?? 'no reason given'}. It is kept in the outbox (toolbar popup) to try again.
        </p>
      ) : (
        <p role="status">
          The PSA did not answer{item.lastError ? ` (${item.lastError.message})` : ''}. The ticket waits in the outbox and is sent when the PSA answers; the
          toolbar popup shows it.
        </p>
      )}
      <button type="button" className="sc-icon" onClick={onClose}>
        Done
      </button>
    </div>
  );
}

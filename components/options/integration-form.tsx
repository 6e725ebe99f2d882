import { useState, type FormEvent } from 'react';
import { browser } from '@/lib/browser';
import { hostPattern } from '@/lib/host-pattern';
import type { IntegrationRow } from '@/lib/db/schema';
import { request, RequestError } from '@/lib/messaging/client';
import type { FormValues, PsaFormSpec } from '@/lib/psa/form';

type Result = { kind: 'ok' | 'error' | 'busy'; text: string };

const blank = (spec: PsaFormSpec): FormValues => Object.fromEntries(spec.fields.map((field) => [field.name, field.choices?.[0]?.value ?? '']));

/**
 * Add or edit an integration of one PSA. Save asks for host permission first (it must run in
 * the click), then saves through the background and tests the connection.
 */
export function IntegrationForm({ spec, integration, onDone }: { spec: PsaFormSpec; integration?: IntegrationRow; onDone?: () => void }) {
  const editing = !!integration;
  const [values, setValues] = useState<FormValues>(() => ({ ...blank(spec), ...(integration ? spec.prefill(integration.settings) : {}) }));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [note, setNote] = useState<string>();
  const [result, setResult] = useState<Result>();
  // After a first save whose test failed, a corrected retry updates that same integration.
  const [savedId, setSavedId] = useState<string | undefined>(integration?.id);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setErrors({});
    setNote(undefined);
    const target = spec.origins(values);
    if (!target.ok) {
      setErrors(target.errors);
      setResult({ kind: 'error', text: 'Some fields need attention.' });
      return;
    }
    // Called first, inside the click: the browser only shows the prompt for a user gesture.
    const granted = await browser.permissions.request({ origins: [...new Set(target.origins.map(hostPattern))] }).catch(() => false);
    if (!granted) {
      setErrors({ [spec.fields[0]!.name]: `Sidecar needs permission to open ${new URL(target.uiOrigin).host}. Click Save again and choose Allow.` });
      return;
    }
    setResult({ kind: 'busy', text: 'Saving…' });
    try {
      const saved = await request('integration.save', { ...(savedId ? { integrationId: savedId } : {}), psa: spec.kind, form: values });
      setSavedId(saved.integrationId);
      setNote(saved.note);
      setResult({ kind: 'busy', text: 'Testing the connection…' });
      const test = await request('integration.test', { integrationId: saved.integrationId });
      setResult({ kind: 'ok', text: `Connected to ${test.companyName}${test.version ? ` (version ${test.version})` : ''}` });
      if (editing) onDone?.();
      else {
        // The integration now has its own card; this form is ready for the next one.
        setValues(blank(spec));
        setSavedId(undefined);
      }
    } catch (error) {
      if (error instanceof RequestError) {
        setErrors(error.fields);
        setResult({ kind: 'error', text: error.message });
      } else {
        setResult({ kind: 'error', text: error instanceof Error ? error.message : String(error) });
      }
    }
  };

  const busy = result?.kind === 'busy';
  return (
    <form className="card" onSubmit={(event) => void submit(event)} aria-label={editing ? `Edit ${integration.label}` : `Add ${spec.title} integration`} noValidate>
      <h3>{editing ? `Edit ${integration.label}` : `Add ${spec.title}`}</h3>
      {spec.fields.map((field) => (
        <label key={field.name} className="field">
          <span>
            {field.label}
            {field.optional ? <span className="muted"> (optional)</span> : null}
          </span>
          {field.choices ? (
            <select name={field.name} value={values[field.name] ?? ''} disabled={busy} onChange={(event) => setValues({ ...values, [field.name]: event.target.value })}>
              {field.choices.map((choice) => (
                <option key={choice.value} value={choice.value}>
                  {choice.label}
                </option>
              ))}
            </select>
          ) : (
            <input
              name={field.name}
              type={field.secret ? 'password' : 'text'}
              autoComplete="off"
              spellCheck={false}
              value={values[field.name] ?? ''}
              // Blank keeps the saved credential only for the same server (lib/integrations/service.ts).
              placeholder={editing && field.credential ? 'unchanged (type it again if you change the server)' : ''}
              aria-invalid={errors[field.name] ? true : undefined}
              aria-describedby={`${spec.kind}-${field.name}-hint`}
              onChange={(event) => setValues({ ...values, [field.name]: event.target.value })}
              disabled={busy}
            />
          )}
          <small id={`${spec.kind}-${field.name}-hint`} className={errors[field.name] ? 'error' : 'muted'} data-testid={`error-${field.name}`}>
            {errors[field.name] ?? field.hint}
          </small>
        </label>
      ))}
      {note ? (
        <p className="note" data-testid="domain-note">
          {note}
        </p>
      ) : null}
      <div className="actions">
        <button type="submit" disabled={busy}>
          Save and test connection
        </button>
        {onDone && editing ? (
          <button type="button" className="secondary" onClick={onDone}>
            Cancel
          </button>
        ) : null}
      </div>
      {result ? (
        <p className={result.kind === 'error' ? 'error' : result.kind === 'ok' ? 'ok' : 'muted'} role="status" data-testid="connection-result">
          {result.text}
        </p>
      ) : null}
    </form>
  );
}

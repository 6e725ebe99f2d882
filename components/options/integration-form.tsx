import { useRef, useState, type FormEvent } from 'react';
import { browser } from '@/lib/browser';
import { hostPattern } from '@/lib/host-pattern';
import type { IntegrationRow } from '@/lib/db/schema';
import { request } from '@/lib/messaging/client';
import type { FormValues, PsaFormSpec } from '@/lib/psa/form';
import { StatusMessage } from '@/components/ui/status-message';
import { useAction } from '@/components/ui/use-action';
import { rightsSentence } from './write-rights';
import { focusWhenShown } from '@/components/ui/focus';
import { Button } from '@/components/ui/button';

const blank = (spec: PsaFormSpec): FormValues => Object.fromEntries(spec.fields.map((field) => [field.name, field.choices?.[0]?.value ?? '']));

/**
 * Add or edit an integration of one PSA. Save asks for host permission first (it must run in
 * the click), then saves through the background and tests the connection.
 */
export function IntegrationForm({ spec, integration, onDone }: { spec: PsaFormSpec; integration?: IntegrationRow; onDone?: () => void }) {
  const editing = !!integration;
  const [values, setValues] = useState<FormValues>(() => ({ ...blank(spec), ...(integration ? spec.prefill(integration.settings) : {}) }));
  const [note, setNote] = useState<string>();
  // After a first save whose test failed, a corrected retry updates that same integration.
  const [savedId, setSavedId] = useState<string | undefined>(integration?.id);
  // Which of the two requests is running, said while it runs.
  const [step, setStep] = useState('Saving…');
  // The id the save just got, for the success handler (the state above is not read back in time).
  const lastSaved = useRef<string | undefined>(undefined);
  const saveAndTest = useAction(
    async () => {
      const saved = await request('integration.save', { ...(savedId ? { integrationId: savedId } : {}), psa: spec.kind, form: values });
      lastSaved.current = saved.integrationId;
      setSavedId(saved.integrationId);
      setNote(saved.note);
      setStep('Testing the connection…');
      return request('integration.test', { integrationId: saved.integrationId });
    },
    {
      success: (test) => `Connected to ${test.companyName}${test.version ? ` (version ${test.version})` : ''}.${rightsSentence(test.writeRights)}`,
      onSuccess: () => {
        if (editing) onDone?.();
        else {
          // The integration now has its own card, which takes focus (its next step is there);
          // this form is ready for the next one.
          const id = savedId ?? lastSaved.current;
          setValues(blank(spec));
          setSavedId(undefined);
          if (id) void focusWhenShown(`[data-integration-id="${CSS.escape(id)}"] h3`);
        }
      },
    },
  );
  const errors = saveAndTest.fieldErrors;
  // Typing the next integration's details clears the last one's "Connected to …": it is about the card above now.
  const change = (name: string, value: string) => {
    if (!editing && saveAndTest.status?.kind === 'ok') saveAndTest.reset();
    setValues({ ...values, [name]: value });
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setNote(undefined);
    const target = spec.origins(values);
    if (!target.ok) {
      saveAndTest.refuse('Some fields need attention.', target.errors);
      return;
    }
    // The last attempt's errors go now, not after the permission prompt is answered.
    saveAndTest.reset();
    // Called first, inside the click: the browser only shows the prompt for a user gesture.
    const granted = await browser.permissions.request({ origins: [...new Set(target.origins.map(hostPattern))] }).catch(() => false);
    if (!granted) {
      saveAndTest.refuse(undefined, {
        [spec.fields[0]!.name]: `Sidecar needs permission to open ${new URL(target.uiOrigin).host}. Click Save again and choose Allow.`,
      });
      return;
    }
    setStep('Saving…');
    await saveAndTest.run();
  };

  const busy = saveAndTest.isPending;
  const status = busy ? { kind: 'busy' as const, text: step } : saveAndTest.status;
  // A field's error that is the form's own message is said once, under the button; the field is still marked.
  const fieldError = (name: string) => (errors[name] && errors[name] !== status?.text ? errors[name] : undefined);
  const statusId = `${spec.kind}-${integration?.id ?? 'new'}-status`;
  return (
    <form
      className="card"
      onSubmit={(event) => void submit(event)}
      aria-label={editing ? `Edit ${integration.label}` : `Add ${spec.title} integration`}
      noValidate
    >
      <h3>{editing ? `Edit ${integration.label}` : `Add ${spec.title}`}</h3>
      {spec.fields.map((field) => (
        <label key={field.name} className="field">
          <span>
            {field.label}
            {field.optional ? <span className="muted"> (optional)</span> : null}
          </span>
          {field.choices ? (
            <select name={field.name} value={values[field.name] ?? ''} disabled={busy} onChange={(event) => change(field.name, event.target.value)}>
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
              aria-describedby={`${spec.kind}-${field.name}-hint${errors[field.name] && !fieldError(field.name) ? ` ${statusId}` : ''}`}
              onChange={(event) => change(field.name, event.target.value)}
              disabled={busy}
            />
          )}
          <small id={`${spec.kind}-${field.name}-hint`} className={fieldError(field.name) ? 'error' : 'muted'} data-testid={`error-${field.name}`}>
            {fieldError(field.name) ?? field.hint}
          </small>
        </label>
      ))}
      {note ? (
        <p className="note" data-testid="domain-note">
          {note}
        </p>
      ) : null}
      <div className="actions">
        <Button type="submit" disabled={busy}>
          Save and test connection
        </Button>
        {onDone && editing ? (
          <button type="button" className="secondary" onClick={onDone}>
            Cancel
          </button>
        ) : null}
      </div>
      <div id={statusId}>
        <StatusMessage status={status} testId="connection-result" />
      </div>
    </form>
  );
}

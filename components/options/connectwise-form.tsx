import { useState, type FormEvent } from 'react';
import { browser } from '@/lib/browser';
import type { IntegrationRow } from '@/lib/db/schema';
import { request, RequestError } from '@/lib/messaging/client';
import { apiOrigin, uiOrigin } from '@/lib/psa/connectwise/client';
import { normaliseConnectwiseDomain, type ConnectwiseForm } from '@/lib/psa/connectwise/settings';

type Result = { kind: 'ok'; text: string } | { kind: 'error'; text: string } | { kind: 'busy'; text: string };

const FIELDS: { name: keyof ConnectwiseForm; label: string; hint: string; secret?: boolean }[] = [
  { name: 'domain', label: 'Domain', hint: 'The address you open ConnectWise at, e.g. na.myconnectwise.net or manage.example.com' },
  { name: 'companyId', label: 'Company ID', hint: 'The company you type on the ConnectWise login screen' },
  { name: 'publicKey', label: 'Public key', hint: 'API member › API Keys', secret: false },
  { name: 'privateKey', label: 'Private key', hint: 'Shown once when the key is created', secret: true },
  { name: 'clientId', label: 'Client ID', hint: 'A GUID from developer.connectwise.com/ClientID' },
];

/**
 * Add or edit a ConnectWise integration. Save asks for host permission first (it must run in
 * the click), then saves through the background and tests the connection.
 */
export function ConnectwiseFormView({ integration, onDone }: { integration?: IntegrationRow; onDone?: () => void }) {
  const editing = !!integration;
  const [form, setForm] = useState<ConnectwiseForm>({
    domain: typeof integration?.settings.host === 'string' ? integration.settings.host : '',
    companyId: typeof integration?.settings.companyId === 'string' ? integration.settings.companyId : '',
    publicKey: '',
    privateKey: '',
    clientId: '',
  });
  const [errors, setErrors] = useState<Partial<Record<keyof ConnectwiseForm, string>>>({});
  const [note, setNote] = useState<string>();
  const [result, setResult] = useState<Result>();
  // After a first save whose test failed, a corrected retry updates that same integration.
  const [savedId, setSavedId] = useState<string | undefined>(integration?.id);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setErrors({});
    setNote(undefined);
    const domain = normaliseConnectwiseDomain(form.domain);
    if (!domain.ok) {
      setErrors({ domain: domain.error });
      return;
    }
    const origins = [...new Set([uiOrigin(domain.value), apiOrigin(domain.value)])].map((origin) => `${origin}/*`);
    // Called first, inside the click: the browser only shows the prompt for a user gesture.
    const granted = await browser.permissions.request({ origins }).catch(() => false);
    if (!granted) {
      setErrors({ domain: `Sidecar needs permission to open ${domain.value.host}. Click Save again and choose Allow.` });
      return;
    }
    setResult({ kind: 'busy', text: 'Saving…' });
    try {
      const saved = await request('integration.save', {
        ...(savedId ? { integrationId: savedId } : {}),
        psa: 'connectwise',
        form,
      });
      setSavedId(saved.integrationId);
      setNote(saved.note);
      setResult({ kind: 'busy', text: 'Testing the connection…' });
      const test = await request('integration.test', { integrationId: saved.integrationId });
      setResult({ kind: 'ok', text: `Connected to ${test.companyName}${test.version ? ` (version ${test.version})` : ''}` });
      if (editing) onDone?.();
      else {
        // The integration now has its own card; this form is ready for the next one.
        setForm({ domain: '', companyId: '', publicKey: '', privateKey: '', clientId: '' });
        setSavedId(undefined);
      }
    } catch (error) {
      if (error instanceof RequestError) {
        setErrors(error.fields as Partial<Record<keyof ConnectwiseForm, string>>);
        setResult({ kind: 'error', text: error.message });
      } else {
        setResult({ kind: 'error', text: error instanceof Error ? error.message : String(error) });
      }
    }
  };

  return (
    <form className="card" onSubmit={(event) => void submit(event)} aria-label={editing ? 'Edit ConnectWise integration' : 'Add ConnectWise integration'} noValidate>
      <h3>{editing ? `Edit ${integration.label}` : 'Add ConnectWise Manage'}</h3>
      {FIELDS.map((field) => (
        <label key={field.name} className="field">
          <span>{field.label}</span>
          <input
            name={field.name}
            type={field.secret ? 'password' : 'text'}
            autoComplete="off"
            spellCheck={false}
            value={form[field.name]}
            placeholder={editing && ['publicKey', 'privateKey', 'clientId'].includes(field.name) ? 'unchanged' : ''}
            aria-invalid={errors[field.name] ? true : undefined}
            aria-describedby={`${field.name}-hint`}
            onChange={(event) => setForm({ ...form, [field.name]: event.target.value })}
            disabled={result?.kind === 'busy'}
          />
          <small id={`${field.name}-hint`} className={errors[field.name] ? 'error' : 'muted'} data-testid={`error-${field.name}`}>
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
        <button type="submit" disabled={result?.kind === 'busy'}>
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

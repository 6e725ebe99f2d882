import { useState } from 'react';
import { request } from '@/lib/messaging/client';
import { MIN_PASSPHRASE_LENGTH } from '@/lib/secrets/kdf';
import { StatusMessage } from '@/components/ui/status-message';
import { useAction } from '@/components/ui/use-action';
import { Button } from '@/components/ui/button';

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

/**
 * Export and import of the whole setup (layouts, rules, matches, options) with the documentation
 * technicians wrote; credentials only when asked, sealed under a passphrase typed for the file.
 * The background makes the file (credentials are opened only there) and applies it.
 */
export function SetupPanel() {
  const [withCredentials, setWithCredentials] = useState(false);
  const [exportPassphrase, setExportPassphrase] = useState('');
  const [importPassphrase, setImportPassphrase] = useState('');

  const exporting = useAction(
    async () => {
      const file = await request('setup.export', withCredentials ? { credentials: { passphrase: exportPassphrase } } : {});
      const link = document.createElement('a');
      link.href = URL.createObjectURL(new Blob([file.text], { type: 'application/json' }));
      link.download = file.fileName;
      link.click();
      setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
      return file;
    },
    {
      success: (file) =>
        `Exported the setup with ${plural(file.documents, 'document')}${withCredentials ? `, ${plural(file.credentials, 'credential')} sealed under the file’s passphrase` : ''}.`,
    },
  );

  const importing = useAction(
    async (file: File) => request('setup.import', { text: await file.text(), ...(importPassphrase ? { passphrase: importPassphrase } : {}) }),
    {
      success: (summary) => {
        const skipped = summary.notConfigured.length
          ? ` Not configured here, so skipped: ${summary.notConfigured.join(', ')} (add them, then import again).`
          : '';
        const same = summary.documentsUnchanged ? ` (${summary.documentsUnchanged} more already as in the file)` : '';
        return `Imported ${summary.layouts} layouts, ${summary.clientSpaces} client spaces, ${plural(summary.documents, 'document')}${same} and the options, rules and matches of ${plural(summary.integrations, 'integration')}; ${summary.moved} records re-sorted.${skipped}`;
      },
    },
  );

  const exportError = exporting.fieldErrors.passphrase;
  const importError = importing.fieldErrors.passphrase;
  const startExport = () => {
    if (withCredentials && exportPassphrase.length < MIN_PASSPHRASE_LENGTH) {
      const message = `Use at least ${MIN_PASSPHRASE_LENGTH} characters for the file’s passphrase.`;
      exporting.refuse(message, { passphrase: message });
      return;
    }
    void exporting.run();
  };

  return (
    <section className="card" aria-label="Setup export and import" data-testid="setup">
      <p className="muted">
        Layouts, client spaces, sync options, sort rules, company matches, and the notes, articles and field values technicians wrote. PSA credentials are never
        exported; documented credentials only if you include them, sealed under a passphrase you type for the file.
      </p>
      <label>
        <input type="checkbox" checked={withCredentials} onChange={(event) => setWithCredentials(event.target.checked)} /> Include credentials
      </label>
      {withCredentials ? (
        <label className="field">
          <span>Passphrase for the file</span>
          <input
            type="password"
            autoComplete="new-password"
            value={exportPassphrase}
            aria-invalid={exportError ? true : undefined}
            aria-describedby={exportError ? 'setup-export-passphrase-error' : undefined}
            onChange={(event) => setExportPassphrase(event.target.value)}
          />
        </label>
      ) : null}
      {withCredentials && exportError ? (
        <small className="error" id="setup-export-passphrase-error">
          {exportError}
        </small>
      ) : null}
      <div className="actions">
        <Button type="button" disabled={exporting.isPending} onClick={startExport}>
          Export setup
        </Button>
      </div>
      <StatusMessage status={exporting.status} testId="setup-export-message" />
      <label className="field">
        <span>Passphrase of the file’s credentials (if it has any)</span>
        <input
          type="password"
          autoComplete="off"
          value={importPassphrase}
          aria-invalid={importError ? true : undefined}
          aria-describedby={importError ? 'setup-import-passphrase-error' : undefined}
          onChange={(event) => setImportPassphrase(event.target.value)}
        />
      </label>
      {importError ? (
        <small className="error" id="setup-import-passphrase-error">
          {importError}
        </small>
      ) : null}
      <div className="actions">
        <label>
          Import setup{' '}
          <input
            type="file"
            accept="application/json,.json"
            aria-label="Import setup file"
            disabled={importing.isPending}
            onChange={(event) => {
              const file = event.target.files?.[0];
              if (file) void importing.run(file);
              event.target.value = '';
            }}
          />
        </label>
      </div>
      <StatusMessage status={importing.status} testId="setup-message" style={{ whiteSpace: 'pre-line' }} />
    </section>
  );
}

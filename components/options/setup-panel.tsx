import { getDb } from '@/lib/db/schema';
import { request } from '@/lib/messaging/client';
import { exportSetup } from '@/lib/setup/export';
import { StatusMessage } from '@/components/ui/status-message';
import { useAction } from '@/components/ui/use-action';

/** Export and import of the whole setup (layouts, rules, matches, options; never credentials). */
export function SetupPanel() {
  const importing = useAction(async (file: File) => request('setup.import', { text: await file.text() }), {
    success: (summary) => {
      const skipped = summary.notConfigured.length
        ? ` Not configured here, so skipped: ${summary.notConfigured.join(', ')} (add them, then import again).`
        : '';
      return `Imported ${summary.layouts} layouts, ${summary.clientSpaces} client spaces and the options, rules and matches of ${summary.integrations} integration${summary.integrations === 1 ? '' : 's'}; ${summary.moved} records re-sorted.${skipped}`;
    },
  });

  const download = async () => {
    const setup = await exportSetup(getDb());
    const link = document.createElement('a');
    link.href = URL.createObjectURL(new Blob([JSON.stringify(setup, null, 2)], { type: 'application/json' }));
    link.download = `sidecar-setup-${setup.exportedAt?.slice(0, 10) ?? 'export'}.json`;
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
  };

  return (
    <section className="card" aria-label="Setup export and import" data-testid="setup">
      <p className="muted">Layouts, client spaces, sync options, sort rules and company matches. Credentials are never exported.</p>
      <div className="actions">
        <button type="button" onClick={() => void download()}>
          Export setup
        </button>
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

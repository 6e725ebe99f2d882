import { useState, type FormEvent } from 'react';
import { loadAuthor } from '@/lib/db/queries';
import { getDb } from '@/lib/db/schema';
import { queryKeys } from '@/components/ui/query-keys';
import { StatusMessage } from '@/components/ui/status-message';
import { useRequestAction } from '@/components/ui/use-action';
import { useLive } from '@/components/ui/use-live';
import { Button } from '@/components/ui/button';

/** The name this installation writes as: shown to the team beside every note, article and edit. */
export function AuthorPanel() {
  const author = useLive(queryKeys.author(), () => loadAuthor(getDb()));
  const [draft, setDraft] = useState<string>();
  const saving = useRequestAction('author.save', {
    success: ({ name }) => `Your notes and edits will be signed “${name}”.`,
    onSuccess: () => setDraft(undefined),
  });
  if (author.isPending) return <p className="muted">Loading…</p>;
  const value = draft ?? author.data?.name ?? '';
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void saving.run({ name: value });
  };
  const error = saving.fieldErrors.name;
  return (
    <form className="card" aria-label="Your name" data-testid="author" onSubmit={submit}>
      <label className="field">
        <span>Your name</span>
        <input
          name="name"
          value={value}
          maxLength={400}
          placeholder="As your team knows you, e.g. Dana K."
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? 'author-name-error' : undefined}
          onChange={(event) => setDraft(event.target.value)}
        />
      </label>
      {error ? (
        <small className="error" id="author-name-error">
          {error}
        </small>
      ) : null}
      <p className="muted">Stamped on what you write in Sidecar, with the time.</p>
      <div className="actions">
        <Button type="submit" disabled={saving.isPending}>
          Save name
        </Button>
      </div>
      <StatusMessage status={saving.status} testId="author-result" />
    </form>
  );
}

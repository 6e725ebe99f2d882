import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadAuthor } from '@/lib/db/queries';
import { SidecarDb } from '@/lib/db/schema';
import { saveAuthorName } from '@/lib/docstore/author';
import { HandledError } from '@/lib/errors';
import { loadSchedule } from '@/lib/sync/schedule';

let db: SidecarDb;
beforeEach(async () => {
  db = new SidecarDb(`author-${crypto.randomUUID()}`);
  await db.open();
});
afterEach(async () => {
  await db.delete();
});

describe('who this installation writes as', () => {
  it('is nobody until a name is saved; the install id is made once and kept when the name changes', async () => {
    expect(await loadAuthor(db)).toBeUndefined();
    const first = await saveAuthorName(db, '  Dana   K. ');
    expect(first).toEqual({ id: 'author', installId: expect.stringMatching(/^[0-9a-f-]{36}$/), name: 'Dana K.' });
    const renamed = await saveAuthorName(db, 'Dana Kim');
    expect(renamed).toEqual({ ...first, name: 'Dana Kim' });
    expect(await loadAuthor(db)).toEqual(renamed);
    // It shares the preferences table with the schedule, which still reads as before.
    expect((await loadSchedule(db)).id).toBe('schedule');
  });

  it.each([
    ['an empty name', '   ', /Enter the name/, 'A name is needed.'],
    ['a name over 200 characters', 'x'.repeat(201), /at most 200 characters/, 'At most 200 characters.'],
  ])('refuses %s at its field and keeps the saved one', async (_what, typed, message, field) => {
    const saved = await saveAuthorName(db, 'Dana');
    const error = await saveAuthorName(db, typed).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(HandledError);
    expect((error as HandledError).message).toMatch(message);
    expect((error as HandledError).fields).toEqual({ name: field });
    expect(await loadAuthor(db)).toEqual(saved);
  });
});

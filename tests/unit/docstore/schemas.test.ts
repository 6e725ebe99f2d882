import { describe, expect, it } from 'vitest';
import { companySpaceId, fieldDocId, randomDocId, versionDocId } from '@/lib/docstore/ids';
import { refusedLink } from '@/lib/docstore/links';
import { articleDocSchema, documentSchema, fieldValueSchema, noteDocSchema, spaceDocSchema } from '@/lib/docstore/schemas';

const author = { installId: 'install-1', name: 'Dana' };
const stamps = { schema: 1 as const, createdAt: 1, createdBy: author, updatedAt: 2, updatedBy: author };
const messagesOf = (result: { success: boolean; error?: { issues: { message: string; path: PropertyKey[] }[] } }) =>
  result.success ? [] : result.error!.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);

describe('documents technicians write', () => {
  it('accepts each kind as the design shapes it', () => {
    const record = { source: 'connectwise:na.myconnectwise.net:acme', entity: 'configuration' as const, remoteId: '60001' };
    const docs = [
      { _id: 'space:1', kind: 'space', name: 'Northwind Dental', ...stamps },
      { _id: 'note:1', kind: 'note', place: { spaceId: '1' }, text: 'Call Dana before rebooting the file server.', ...stamps },
      {
        _id: 'article:1',
        kind: 'article',
        spaceId: null,
        title: 'Backups',
        body: '- [ ] check [portal](https://backup.example)\n\n| a | b |\n|---|---|',
        ...stamps,
      },
      { _id: 'field:x', kind: 'field', record, layoutId: 'l', fieldId: 'f', value: { type: 'yesno', v: true }, ...stamps },
      {
        _id: 'credential:1',
        kind: 'credential',
        place: { record },
        name: 'Firewall admin',
        sealed: { keyId: 'local:1', iv: 'aXY=', data: 'ZGF0YQ==' },
        ...stamps,
      },
      { _id: 'version:note:1:1-a', kind: 'version', of: 'note:1', ofKind: 'note', rev: '1-a', content: { text: 'old' }, reason: 'edit', ...stamps },
    ];
    for (const doc of docs) expect(messagesOf(documentSchema.safeParse(doc)), doc._id).toEqual([]);
  });

  it('keeps fields a newer teammate added, so an older install does not strip them on edit', () => {
    const parsed = spaceDocSchema.parse({ _id: 'space:1', kind: 'space', name: 'Acme', colour: 'teal', ...stamps });
    expect(parsed).toMatchObject({ colour: 'teal' });
  });

  it.each([
    ['a note of 10,000 lines', { text: 'x\n'.repeat(10_000) }, /at most 100 lines/],
    ['a note over 4,000 characters', { text: 'x'.repeat(4_001) }, /at most 4,000 characters/],
    ['an empty note', { text: '   ' }, /needs some text/],
  ])('refuses %s at its field', (_what, change, message) => {
    const result = noteDocSchema.safeParse({ _id: 'note:1', kind: 'note', place: { spaceId: '1' }, ...stamps, ...change });
    expect(messagesOf(result).join('\n')).toMatch(new RegExp(`^text: .*${message.source}`));
  });

  it.each([
    ['an article over 1 MB', 'é'.repeat(500_001), /at most 1 MB/],
    ['a javascript: link', 'See [here](javascript:alert(1))', /"javascript:alert\(1" is not/],
    ['a data: image', '![x](data:text/html;base64,PHNjcmlwdD4=)', /"data:text\/html;base64,PHNjcmlwdD4=" is not/],
    ['a reference definition to vbscript:', 'A [link][1]\n\n[1]: vbscript:msgbox', /"vbscript:msgbox" is not/],
    ['an autolink to file:', 'Open <file:///etc/passwd>', /"file:\/\/\/etc\/passwd" is not/],
  ])('refuses %s', (_what, body, message) => {
    const result = articleDocSchema.safeParse({ _id: 'article:1', kind: 'article', spaceId: '1', title: 'T', body, ...stamps });
    expect(messagesOf(result).join('\n')).toMatch(new RegExp(`^body: .*${message.source}`));
  });

  it('lets http(s), mailto and in-page anchors through', () => {
    expect(refusedLink('[a](https://x.example) [b](http://y.example) [c](mailto:it@example.com) [d](#setup) <https://z.example>')).toBeUndefined();
  });

  it.each([
    [{ type: 'number', v: 'twelve' }, /Enter a number/],
    [{ type: 'date', v: '06/12/2026' }, /YYYY-MM-DD/],
    [{ type: 'url', v: 'javascript:alert(1)' }, /http:\/\/ or https:\/\//],
    [{ type: 'yesno', v: 'yes' }, /Yes or no/],
    [{ type: 'text', v: 'two\nlines' }, /One line only/],
  ])('refuses a field value that does not fit its type: %o', (value, message) => {
    expect(messagesOf(fieldValueSchema.safeParse(value)).join('\n')).toMatch(message);
  });
});

describe('document ids', () => {
  it('are random, prefixed by kind, where one person creates the thing', () => {
    expect(randomDocId('note')).toMatch(/^note:[0-9a-f-]{36}$/);
    expect(randomDocId('note')).not.toBe(randomDocId('note'));
  });

  it('are the same on every install for a space made from a PSA company and for a field value', async () => {
    const a = await companySpaceId('connectwise:na.myconnectwise.net:acme', '101');
    expect(a).toMatch(/^space:psa:[a-z2-7]{26}$/);
    expect(await companySpaceId('connectwise:na.myconnectwise.net:acme', '101')).toBe(a);
    expect(await companySpaceId('connectwise:na.myconnectwise.net:acme', '102')).not.toBe(a);
    expect(await companySpaceId('connectwise:na.myconnectwise.net:other', '101')).not.toBe(a);
    const record = { source: 'halo:acme.halopsa.com', entity: 'contact' as const, remoteId: '30001' };
    expect(await fieldDocId(record, 'layout-1', 'field-1')).toBe(await fieldDocId({ ...record }, 'layout-1', 'field-1'));
    expect(await fieldDocId(record, 'layout-1', 'field-2')).not.toBe(await fieldDocId(record, 'layout-1', 'field-1'));
  });

  it('cannot be made ambiguous by a part holding the separator', async () => {
    await expect(companySpaceId('halo:a\nb', '1')).rejects.toThrow(/line break/);
  });

  it('name the version of a document by the revision it replaced', () => {
    expect(versionDocId('article:1', '3-abc')).toBe('version:article:1:3-abc');
  });
});

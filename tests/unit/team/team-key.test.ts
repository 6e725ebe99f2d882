import { describe, expect, it } from 'vitest';
import { newTeam, TeamPassphraseError, unwrapTeamKey } from '@/lib/team/team-key';
import { teamDocSchema, TEAM_KDF_MIN_ITERATIONS } from '@/lib/team/team-doc';

const author = { installId: 'install-a', name: 'Alex' };

describe('the team key', () => {
  it('is wrapped under the team passphrase with PBKDF2-SHA-256 at 600,000 iterations, and unwrapped by the same passphrase', async () => {
    const { doc, rawKey } = await newTeam('correct horse battery staple', author);
    expect(doc.kdf).toMatchObject({ name: 'PBKDF2', hash: 'SHA-256', iterations: TEAM_KDF_MIN_ITERATIONS });
    expect(teamDocSchema.parse(doc)).toMatchObject({ teamId: doc.teamId });
    // The document holds no key in the clear.
    expect(JSON.stringify(doc)).not.toContain(btoa(String.fromCharCode(...rawKey)));
    expect(await unwrapTeamKey(doc, 'correct horse battery staple')).toEqual(rawKey);
  });

  it('refuses a wrong passphrase with a clear message', async () => {
    const { doc } = await newTeam('correct horse battery staple', author);
    await expect(unwrapTeamKey(doc, 'correct horse battery stapler')).rejects.toThrow(TeamPassphraseError);
    await expect(unwrapTeamKey(doc, 'correct horse battery stapler')).rejects.toThrow('The team passphrase is wrong');
  });

  it('refuses a short team passphrase before making anything', async () => {
    await expect(newTeam('too short', author)).rejects.toThrow('at least 12 characters');
  });

  it('refuses a team document that asks for fewer than 600,000 iterations', async () => {
    const { doc } = await newTeam('correct horse battery staple', author);
    expect(teamDocSchema.safeParse({ ...doc, kdf: { ...doc.kdf, iterations: 1_000 } }).success).toBe(false);
  });
});

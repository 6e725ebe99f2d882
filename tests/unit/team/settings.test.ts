import { describe, expect, it } from 'vitest';
import { isLoopbackHostname, parseTeamSettings, teamDatabaseUrl, type TeamSettings } from '@/lib/team/settings';

const VALID = { serverUrl: 'https://couchdb.example.com', database: 'sidecar-team', username: 'alex', password: 'correct horse' };

const parse = (patch: Record<string, unknown>) => parseTeamSettings({ ...VALID, ...patch });
const settingsOf = (patch: Record<string, unknown>): TeamSettings => {
  const result = parse(patch);
  if (!result.ok) throw new Error(`expected valid settings, got ${result.field}: ${result.message}`);
  return result.settings;
};
const failureOf = (patch: Record<string, unknown>) => {
  const result = parse(patch);
  if (result.ok) throw new Error(`expected a failure, got ${JSON.stringify(result.settings)}`);
  return result;
};

describe('parseTeamSettings: the server address', () => {
  it.each([
    ['https://couchdb.example.com', 'https://couchdb.example.com'],
    ['  https://couchdb.example.com/  ', 'https://couchdb.example.com'],
    ['HTTPS://CouchDB.Example.COM:443/', 'https://couchdb.example.com'],
    ['https://couchdb.example.com:6984', 'https://couchdb.example.com:6984'],
    ['https://example.com/couch/', 'https://example.com/couch'],
    ['https://example.com/a/b//', 'https://example.com/a/b'],
    ['http://127.0.0.1:5984', 'http://127.0.0.1:5984'],
    ['http://127.12.0.3:5984/', 'http://127.12.0.3:5984'],
    ['http://localhost:5984', 'http://localhost:5984'],
    ['http://LOCALHOST:5984', 'http://localhost:5984'],
    ['http://[::1]:5984', 'http://[::1]:5984'],
    ['https://localhost:6984', 'https://localhost:6984'],
  ])('accepts %s as %s', (input, expected) => {
    expect(settingsOf({ serverUrl: input }).serverUrl).toBe(expected);
  });

  it.each([
    [undefined, /Enter the team server’s address/],
    ['', /Enter the team server’s address/],
    ['   ', /Enter the team server’s address/],
    [42, /address must be text/],
    ['couchdb.example.com', /full address, starting with https:\/\//],
    ['localhost:5984', /full address, starting with https:\/\//],
    ['ftp://couchdb.example.com', /full address, starting with https:\/\//],
    ['https://', /not a valid address/],
    ['https://couch db.example.com', /not a valid address/],
    ['https://alex:pw@couchdb.example.com', /without a user name or password/],
    ['https://alex@couchdb.example.com', /without a user name or password/],
    ['https://couchdb.example.com/?db=x', /cannot have a query/],
    ['https://couchdb.example.com/?', /cannot have a query/],
    ['https://couchdb.example.com/#team', /cannot have a fragment/],
    ['https://couchdb.example.com#', /cannot have a fragment/],
  ])('refuses %j', (input, message) => {
    const failure = failureOf({ serverUrl: input });
    expect(failure.field).toBe('serverUrl');
    expect(failure.message).toMatch(message);
  });

  it.each(['http://couchdb.example.com', 'http://192.168.1.10:5984', 'http://10.0.0.1', 'http://128.0.0.1', 'http://localhost.example.com', 'http://[::2]'])(
    'requires https for %s, which is not loopback, and says why',
    (input) => {
      const failure = failureOf({ serverUrl: input });
      expect(failure.field).toBe('serverUrl');
      expect(failure.message).toMatch(/must start with https:\/\//);
      expect(failure.message).toMatch(/unencrypted/);
      expect(failure.message).toMatch(/localhost, 127\.x\.x\.x, \[::1\]/);
    },
  );
});

describe('isLoopbackHostname', () => {
  it.each(['localhost', '127.0.0.1', '127.255.255.254', '[::1]'])('%s is loopback', (host) => expect(isLoopbackHostname(host)).toBe(true));
  it.each(['example.com', '128.0.0.1', '10.0.0.1', '[::2]', 'localhost.example.com', '1127.0.0.1'])('%s is not', (host) =>
    expect(isLoopbackHostname(host)).toBe(false),
  );
});

describe('parseTeamSettings: the database', () => {
  it.each(['sidecar-team', 'a', 'team_2026', 'msp/team', 'a$b(c)+d-e', 'x'.repeat(238)])('accepts %s', (name) => {
    expect(settingsOf({ database: name }).database).toBe(name);
  });

  it('trims the name', () => {
    expect(settingsOf({ database: '  sidecar-team ' }).database).toBe('sidecar-team');
  });

  it.each([
    [undefined, /Enter the team database’s name/],
    ['', /Enter the team database’s name/],
    [['sidecar'], /name must be text/],
    ['Sidecar', /must start with a lowercase letter/],
    ['1team', /must start with a lowercase letter/],
    ['_users', /must start with a lowercase letter/],
    ['side car', /only lowercase letters, digits and _ \$ \( \) \+ - \//],
    ['team.db', /CouchDB’s rule/],
    ['équipe', /CouchDB’s rule/],
    ['x'.repeat(239), /at most 238 characters/],
  ])('refuses %j', (input, message) => {
    const failure = failureOf({ database: input });
    expect(failure.field).toBe('database');
    expect(failure.message).toMatch(message);
  });
});

describe('parseTeamSettings: the login', () => {
  it('trims the user name and keeps the password exactly as typed', () => {
    const settings = settingsOf({ username: '  alex ', password: ' pass word ' });
    expect(settings.username).toBe('alex');
    expect(settings.password).toBe(' pass word ');
  });

  it('accepts the longest user name and password', () => {
    const settings = settingsOf({ username: 'u'.repeat(200), password: 'p'.repeat(1_000) });
    expect(settings.username).toHaveLength(200);
    expect(settings.password).toHaveLength(1_000);
  });

  it.each([
    ['username', undefined, /Enter your CouchDB user name/],
    ['username', '   ', /Enter your CouchDB user name/],
    ['username', 7, /user name must be text/],
    ['username', 'u'.repeat(201), /at most 200 characters/],
    ['username', 'alex:admin', /cannot contain “:”/],
    ['password', undefined, /Enter your CouchDB password/],
    ['password', '', /Enter your CouchDB password/],
    ['password', null, /Enter your CouchDB password/],
    ['password', false, /password must be text/],
    ['password', 'p'.repeat(1_001), /at most 1,000 characters/],
  ])('refuses %s %j', (field, input, message) => {
    const failure = failureOf({ [field]: input });
    expect(failure.field).toBe(field);
    expect(failure.message).toMatch(message);
  });
});

describe('parseTeamSettings: the whole form', () => {
  it('answers the settings, without any other key (the team passphrase stays out)', () => {
    const result = parseTeamSettings({ ...VALID, passphrase: 'team secret' });
    expect(result).toEqual({ ok: true, settings: VALID });
  });

  it('names the first wrong field in the panel’s order', () => {
    expect(parseTeamSettings({ database: 'Bad', username: '', password: '' })).toMatchObject({ ok: false, field: 'serverUrl' });
    expect(parse({ database: 'Bad', username: '' })).toMatchObject({ ok: false, field: 'database' });
    expect(parse({ username: '', password: '' })).toMatchObject({ ok: false, field: 'username' });
  });

  it.each([null, undefined, 'https://couchdb.example.com', 3])('treats %j as an empty form', (input) => {
    expect(parseTeamSettings(input)).toMatchObject({ ok: false, field: 'serverUrl', message: expect.stringMatching(/Enter the team server’s address/) });
  });
});

describe('teamDatabaseUrl', () => {
  it('appends the database name as one encoded path segment', () => {
    expect(teamDatabaseUrl(settingsOf({}))).toBe('https://couchdb.example.com/sidecar-team');
    expect(teamDatabaseUrl(settingsOf({ serverUrl: 'https://example.com/couch/', database: 'msp/team$(1)+x' }))).toBe(
      'https://example.com/couch/msp%2Fteam%24(1)%2Bx',
    );
  });
});

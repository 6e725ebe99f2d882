import type { Prng } from '../framework/prng.ts';

const SUMMARIES = [
  'Printer offline',
  'Cannot connect to VPN',
  'Outlook keeps asking for password',
  'New user setup: {who}',
  'Slow computer',
  'Replace failing hard drive on {cfg}',
  'Wi-Fi drops in conference room',
  'Scanner to email not working',
  'Backup job failed on {cfg}',
  'Firewall firmware update',
  'Phone system voicemail not working',
  'Request: install Adobe Acrobat',
  'Disk space low on {cfg}',
  'Shared drive mapping missing',
  'MFA reset request',
  'Website down',
  'Quarterly maintenance',
  'Email bouncing from vendor',
  'Laptop will not power on',
  'Offboard departing employee',
  '{cfg} unreachable',
] as const;
const PEOPLE = ['Kim Park', 'Alex Rivera', 'Sam Patel', 'Jordan Lee', 'Taylor Brooks'] as const;

export function ticketSummary(rng: Prng, configName: string | undefined): string {
  let s: string = rng.pick(SUMMARIES);
  if (s.includes('{cfg}') && !configName) s = 'Workstation issue';
  return s.replace('{cfg}', configName ?? '').replace('{who}', rng.pick(PEOPLE));
}

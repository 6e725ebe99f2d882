import type { Prng } from '../framework/prng.ts';

const TITLES = [
  'Printer offline at front desk',
  'Cannot connect to VPN',
  'Outlook keeps asking for password',
  'New user setup: {who}',
  'Slow computer',
  'Replace failing hard drive on {asset}',
  'Wi-Fi drops in conference room',
  'Scanner to email not working',
  'Backup job failed on {asset}',
  'Firewall firmware update',
  'Voicemail not working',
  'Request: install Adobe Acrobat',
  'Disk space low on {asset}',
  'Shared drive mapping missing',
  'MFA reset request',
  'Website down',
  'Quarterly maintenance',
  'Email bouncing from vendor',
  'Laptop will not power on',
  'Offboard departing employee',
  '{asset} unreachable',
  'Teams calls dropping for {who}',
  'M365 licence request',
] as const;

export function ticketTitle(rng: Prng, assetName: string | undefined, contact: string | undefined): string {
  let s: string = rng.pick(TITLES);
  if (s.includes('{asset}') && !assetName) s = 'Workstation issue';
  return s.replace('{asset}', assetName ?? '').replace('{who}', contact ?? 'new hire');
}

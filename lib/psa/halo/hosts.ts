/** docs/psa/halo.md#hosts: the agent app runs on `{tenant}.<domain>` for the three sister products. */
export const HALO_DOMAINS = ['halopsa.com', 'haloitsm.com', 'haloservicedesk.com'] as const;

/** `{tenant}.halopsa.com` etc. The bare domain and `www.` are Halo's own website, not an app. */
export function isHaloHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return HALO_DOMAINS.some((domain) => {
    if (!host.endsWith(`.${domain}`)) return false;
    const tenant = host.slice(0, -domain.length - 1);
    return tenant !== 'www' && !tenant.endsWith('.');
  });
}

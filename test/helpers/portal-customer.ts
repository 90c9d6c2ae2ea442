import type { TestBackend } from './backend.ts';

/**
 * A customer organisation with boxes and one customer account on the whole backend (browser
 * tests), made through the API the way after-sales does it: create, link boxes, invite, and the
 * invitation accepted with `password`. Answers the organisation's id.
 */
export async function portalCustomer(
  backend: TestBackend,
  org: { name: string; contacts?: { name: string; phone?: string; address?: string }[] },
  serials: readonly string[],
  username: string,
  password: string,
): Promise<number> {
  const call = async <T>(method: string, path: string, body: unknown, headers: Record<string, string> = {}): Promise<T> => {
    const res = await fetch(`${backend.api}${path}`, {
      method,
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${await res.text()}`);
    return (await res.json()) as T;
  };
  const admin = await backend.adminHeaders();
  const { id } = await call<{ id: number }>('POST', '/organisations', { businessLine: 'smart-factory', ...org }, admin);
  if (serials.length > 0) await call('POST', `/organisations/${id}/devices`, { serials }, admin);
  const { url } = await call<{ url: string }>('POST', `/organisations/${id}/invitations`, { username }, admin);
  const token = url.slice(url.lastIndexOf('/') + 1);
  await call('POST', `/invitations/${token}/accept`, { password });
  return id;
}

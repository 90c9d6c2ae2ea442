import type { ApiFixture } from './http-fixture.ts';
import { PASSWORD } from './http-fixture.ts';

/** A customer organisation with boxes and one signed-in customer account, made through the API. */
export interface CustomerOrg {
  organisationId: number;
  username: string;
  /** `Authorization` headers of the customer's session. */
  headers: Record<string, string>;
}

/**
 * Creates an organisation, links `serials` (already registered) to it, invites `username` and
 * accepts the invitation as the customer would: the way every customer account comes to be.
 */
export async function customerOrg(
  api: Pick<ApiFixture, 'request' | 'headersFor'>,
  name: string,
  serials: readonly string[],
  username: string,
): Promise<CustomerOrg> {
  const staff = await api.headersFor('after-sales');
  const created = await api.request('POST', '/api/organisations', { headers: staff, json: { name, businessLine: 'smart-factory' } });
  if (created.status !== 201) throw new Error(`creating ${name} answered ${created.status}: ${await created.text()}`);
  const { id } = (await created.json()) as { id: number };
  if (serials.length > 0) {
    const linked = await api.request('POST', `/api/organisations/${id}/devices`, { headers: staff, json: { serials } });
    if (linked.status !== 200) throw new Error(`linking boxes answered ${linked.status}: ${await linked.text()}`);
  }
  const invited = await api.request('POST', `/api/organisations/${id}/invitations`, { headers: staff, json: { username } });
  if (invited.status !== 201) throw new Error(`inviting ${username} answered ${invited.status}: ${await invited.text()}`);
  const { url } = (await invited.json()) as { url: string };
  const token = invitationToken(url);
  const accepted = await api.request('POST', `/api/invitations/${token}/accept`, { json: { password: PASSWORD } });
  if (accepted.status !== 200) throw new Error(`accepting the invitation answered ${accepted.status}: ${await accepted.text()}`);
  const { token: session } = (await accepted.json()) as { token: string };
  return { organisationId: id, username, headers: { authorization: `Bearer ${session}` } };
}

/** The token in an invitation URL's fragment (`…/#/invite/<token>`). */
export function invitationToken(url: string): string {
  const match = /#\/invite\/([A-Za-z0-9_-]+)$/.exec(url);
  if (!match?.[1]) throw new Error(`not an invitation URL: ${url}`);
  return match[1];
}

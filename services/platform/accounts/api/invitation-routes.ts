import { z } from 'zod';
import { AppError } from '../../../kernel/app-error.ts';
import { routesFor } from '../../../kernel/route-definition.ts';
import { setSessionCookie } from '../../http/index.ts';
import { invitationRefusal } from '../domain/invitation.ts';
import { NewPassword } from '../domain/password-policy.ts';
import type { AccountRouteDeps } from './account-route-deps.ts';
import { LoginResponse } from './account-schemas.ts';
import { requireStrongPassword } from './password-check.ts';

const defineRoute = routesFor<AccountRouteDeps>();

const HOUR_MS = 3_600_000;

// 256 random bits in base64url: anything else is not a token this service handed out.
const TokenParams = z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'not an invitation token') });

const InvitationView = z.object({
  username: z.string().describe('the account the invitation creates'),
  organisation: z.string().describe("the customer organisation's name"),
  expiresAt: z.number().int(),
});

const Acceptance = z.strictObject({ password: NewPassword.describe('checked for length and guessability like every new password') });

export const invitationRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/invitations/:token',
    summary: 'What an invitation URL is for (account and organisation), before its holder chooses a password',
    tag: 'auth',
    access: 'public',
    params: TokenParams,
    response: InvitationView,
    errors: ['INVITATION_INVALID'],
    async handler({ params, deps }) {
      const invitation = await deps.invitations.find(params.token);
      const refusal = invitationRefusal(invitation, deps.clock());
      if (refusal || !invitation) throw new AppError('INVITATION_INVALID', { reason: refusal ?? 'unknown' });
      const organisation = (await deps.organisationName(invitation.organisationId)) ?? '';
      return { username: invitation.username, organisation, expiresAt: invitation.expiresAt };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/invitations/:token/accept',
    summary: 'Accept an invitation: creates the customer account with the chosen password and signs it in; the URL then stops working',
    tag: 'auth',
    access: 'public',
    params: TokenParams,
    body: Acceptance,
    response: LoginResponse,
    errors: ['INVITATION_INVALID', 'PASSWORD_TOO_WEAK', 'USER_EXISTS'],
    async handler({ params, body, deps, req, res }) {
      const now = deps.clock();
      const invitation = await deps.invitations.find(params.token);
      const refusal = invitationRefusal(invitation, now);
      if (refusal || !invitation) throw new AppError('INVITATION_INVALID', { reason: refusal ?? 'unknown' });
      requireStrongPassword(body.password, invitation.username);
      const accepted = await deps.invitations.accept(params.token, body.password, now);
      if (!accepted.ok) {
        const { code, ...details } = accepted.error;
        throw new AppError(code, details);
      }
      const { user } = accepted;
      const { token, expiresAt } = await deps.sessions.create(user.id, now);
      setSessionCookie(req, res, token, deps.config.SESSION_TTL_H * HOUR_MS);
      deps.logger.info({ username: user.username, organisationId: user.organisationId }, 'customer accepted invitation');
      return { token, user: { username: user.username, role: user.role, organisationId: user.organisationId }, expiresAt };
    },
  }),
];

import { type CanActivate, type ExecutionContext, ForbiddenException, Inject, Injectable, SetMetadata, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { type ApiKeys, type Principal, type Role, roleIncludes } from './api-keys';

export const API_KEYS = Symbol('API_KEYS');
export const READ_ACCESS = Symbol('READ_ACCESS');

const ROLE = 'positions:role';
const PUBLIC = 'positions:public';

/** The least role a route needs. GETs without it need `reader` only when `READ_ACCESS=key`. */
export const RequiresRole = (role: Role) => SetMetadata(ROLE, role);
/** Open to everyone whatever `READ_ACCESS` says (health). */
export const Public = () => SetMetadata(PUBLIC, true);

type AuthenticatedRequest = FastifyRequest & { principal?: Principal };

@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(API_KEYS) private readonly keys: ApiKeys,
    @Inject(READ_ACCESS) private readonly readAccess: 'public' | 'key',
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC, targets)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const needed = this.reflector.getAllAndOverride<Role | undefined>(ROLE, targets) ?? (this.readAccess === 'key' ? 'reader' : undefined);
    const header = request.headers.authorization;
    if (header === undefined) {
      if (needed === undefined) return true;
      throw new UnauthorizedException('this request needs an API key: send Authorization: Bearer <key>');
    }
    const principal = this.identify(header);
    if (needed !== undefined && !roleIncludes(principal.role, needed)) {
      throw new ForbiddenException(`this request needs the role '${needed}' or higher; the key has '${principal.role}'`);
    }
    request.principal = principal;
    return true;
  }

  private identify(header: string): Principal {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    const principal = match ? this.keys.identify(match[1]) : null;
    // An unknown key is refused even where none is needed: a client with a typo should know.
    if (!principal) throw new UnauthorizedException('unknown API key (expected Authorization: Bearer <key>)');
    return principal;
  }
}

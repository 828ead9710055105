import type { AuthService, AuthTokens } from "@bourse/proto/bourse/users/v1/auth_service_pb";
import { timestampMs } from "@bufbuild/protobuf/wkt";
import { type CallOptions, type Client, Code, ConnectError } from "@connectrpc/connect";

/** Refresh this long before the access token expires, so a call never carries an expired one. */
const REFRESH_MARGIN_MS = 60_000;

export interface AccountCredentials {
  readonly email: string;
  readonly password: string;
}

/**
 * The market maker's signed-in account: signs in (registering the account the first time), keeps the
 * access token fresh with the refresh token, and signs in again when that fails.
 */
export class AccountSession {
  private tokens: { access: string; refresh: string; expiresAtMs: number } | undefined;

  constructor(
    private readonly auth: Client<typeof AuthService>,
    private readonly credentials: AccountCredentials,
    private readonly callOptions: () => CallOptions,
    private readonly now: () => number = Date.now,
  ) {}

  /** `Authorization` for the next call. */
  async headers(): Promise<{ authorization: string }> {
    if (!this.tokens) await this.signIn();
    else if (this.tokens.expiresAtMs - REFRESH_MARGIN_MS <= this.now())
      await this.refresh(this.tokens.refresh);
    return { authorization: `Bearer ${this.tokens?.access}` };
  }

  /** Forgets the tokens after a call was refused as unauthenticated (the users service changed keys, say). */
  forget(): void {
    this.tokens = undefined;
  }

  private async signIn(): Promise<void> {
    const { email, password } = this.credentials;
    try {
      this.keep((await this.auth.login({ email, password }, this.callOptions())).tokens);
      return;
    } catch (error) {
      if (ConnectError.from(error).code !== Code.Unauthenticated) throw error;
    }
    try {
      const registered = await this.auth.register(
        { email, password, displayName: "Market maker" },
        this.callOptions(),
      );
      this.keep(registered.tokens);
    } catch (error) {
      if (ConnectError.from(error).code !== Code.AlreadyExists) throw error;
      throw new ConnectError(
        `the account ${email} exists but refuses this password: set MARKETMAKER_PASSWORD to its password, or MARKETMAKER_EMAIL to another account`,
        Code.Unauthenticated,
      );
    }
  }

  private async refresh(refreshToken: string): Promise<void> {
    try {
      this.keep((await this.auth.refresh({ refreshToken }, this.callOptions())).tokens);
    } catch (error) {
      if (ConnectError.from(error).code !== Code.Unauthenticated) throw error;
      this.tokens = undefined;
      await this.signIn();
    }
  }

  private keep(tokens: AuthTokens | undefined): void {
    if (!tokens?.accessTokenExpiresAt)
      throw new ConnectError("the users service issued no tokens", Code.Internal);
    this.tokens = {
      access: tokens.accessToken,
      refresh: tokens.refreshToken,
      expiresAtMs: timestampMs(tokens.accessTokenExpiresAt),
    };
  }
}

import type {
  AuthResult,
  Login,
  Order,
  OrderCreate,
  orderPageSchema,
  OrderStatusName,
  Register,
  UserDto,
} from '@lapak/contracts';
import type { AxiosInstance } from 'axios';

/** A page of the shopper's orders, as `GET /orders` answers. */
export type OrderPage = ReturnType<(typeof orderPageSchema)['parse']>;

export interface OrderListQuery {
  cursor?: string | null;
  limit?: number;
  status?: OrderStatusName;
}

/** The Lapak API calls the storefront makes (docs/api.md), typed by the contract. */
export class LapakApi {
  constructor(private readonly http: AxiosInstance) {}

  // Log in, register, refresh and log out are sent with credentials: the API answers them with
  // the refresh cookie (httpOnly, path /api/v1/auth), and refresh and log out need it back.

  async register(input: Register): Promise<AuthResult> {
    return (await this.http.post<AuthResult>('/auth/register', input, { withCredentials: true })).data;
  }

  async login(input: Login): Promise<AuthResult> {
    return (await this.http.post<AuthResult>('/auth/login', input, { withCredentials: true })).data;
  }

  /** `POST /auth/refresh`: a new access token for the session in the cookie, which it uses up. */
  async refresh(): Promise<AuthResult> {
    return (await this.http.post<AuthResult>('/auth/refresh', undefined, { withCredentials: true })).data;
  }

  /** `POST /auth/logout`: ends the session in the cookie and clears the cookie. */
  async logout(): Promise<void> {
    await this.http.post('/auth/logout', undefined, { withCredentials: true });
  }

  async me(): Promise<UserDto> {
    return (await this.http.get<{ user: UserDto }>('/auth/me')).data.user;
  }

  /** `POST /orders`; the same key with the same lines returns the same order, never a second one. */
  async createOrder(input: OrderCreate, idempotencyKey: string): Promise<Order> {
    const response = await this.http.post<Order>('/orders', input, {
      headers: { 'Idempotency-Key': idempotencyKey },
    });
    return response.data;
  }

  async order(id: string): Promise<Order> {
    return (await this.http.get<Order>(`/orders/${encodeURIComponent(id)}`)).data;
  }

  async orders(query: OrderListQuery = {}): Promise<OrderPage> {
    const params: Record<string, string | number> = { limit: query.limit ?? 20 };
    if (query.cursor) params.cursor = query.cursor;
    if (query.status) params.status = query.status;
    return (await this.http.get<OrderPage>('/orders', { params })).data;
  }
}

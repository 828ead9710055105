import type { DescService } from "@bufbuild/protobuf";
import { type Client, createClient } from "@connectrpc/connect";
import { transport } from "./transport.ts";

const clients = new Map<DescService, Client<DescService>>();

/** A client for one service over the app's transport, created once and shared (e.g. `api(OrderService)`). */
export function api<Service extends DescService>(service: Service): Client<Service> {
  let client = clients.get(service);
  if (!client) {
    client = createClient(service, transport);
    clients.set(service, client);
  }
  return client as Client<Service>;
}

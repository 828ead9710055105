import { Code, ConnectError } from "@connectrpc/connect";

export const alreadyExists = (message: string) => new ConnectError(message, Code.AlreadyExists);

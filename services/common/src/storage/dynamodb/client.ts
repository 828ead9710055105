import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { numberFromText } from "../numbers.js";

export interface DynamoDbConnection {
  readonly region: string;
  /** A DynamoDB Local (or other non-AWS) endpoint; AWS's own endpoint when absent. */
  readonly endpoint?: string;
}

const CREDENTIAL_VARIABLES = [
  "AWS_ACCESS_KEY_ID",
  "AWS_PROFILE",
  "AWS_WEB_IDENTITY_TOKEN_FILE",
  "AWS_CONTAINER_CREDENTIALS_FULL_URI",
  "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
];

/**
 * DynamoDB Local accepts any credentials but the SDK insists on some: with an endpoint configured and
 * no AWS credentials in the environment, dummy static ones; otherwise the SDK's default chain.
 */
export function localCredentials(
  connection: DynamoDbConnection,
  env: Readonly<Record<string, string | undefined>>,
): { accessKeyId: string; secretAccessKey: string } | undefined {
  const needsDummy = connection.endpoint !== undefined && CREDENTIAL_VARIABLES.every((name) => !env[name]);
  return needsDummy ? { accessKeyId: "local", secretAccessKey: "local" } : undefined;
}

export function createDynamoDbClient(
  connection: DynamoDbConnection,
  env: Readonly<Record<string, string | undefined>> = process.env,
): DynamoDBClient {
  const { region, endpoint } = connection;
  return new DynamoDBClient({ region, endpoint, credentials: localCredentials(connection, env) });
}

/**
 * The document client the store uses. Reads turn numbers into number or bigint by the read rule;
 * writes send bigint exactly (the marshaller writes its decimal digits).
 */
export function createDocumentClient(client: DynamoDBClient): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true },
    unmarshallOptions: { wrapNumbers: numberFromText },
  });
}

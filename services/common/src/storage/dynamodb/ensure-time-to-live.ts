import {
  DescribeTimeToLiveCommand,
  type DynamoDBClient,
  UpdateTimeToLiveCommand,
} from "@aws-sdk/client-dynamodb";
import { TIME_TO_LIVE_ATTRIBUTE } from "../time-to-live.js";

/**
 * Turns on DynamoDB's time to live for the table, on TIME_TO_LIVE_ATTRIBUTE, unless it is on already.
 * A table whose time to live uses another attribute is left alone and reported: DynamoDB allows one.
 */
export async function ensureTimeToLive(
  client: DynamoDBClient,
  tableName: string,
): Promise<"enabled" | "already enabled"> {
  const { TimeToLiveDescription: current } = await client.send(
    new DescribeTimeToLiveCommand({ TableName: tableName }),
  );
  const status = current?.TimeToLiveStatus;
  if (status === "ENABLED" || status === "ENABLING") {
    if (current?.AttributeName === TIME_TO_LIVE_ATTRIBUTE) return "already enabled";
    throw new Error(
      `table ${tableName} expires items on ${current?.AttributeName}, not ${TIME_TO_LIVE_ATTRIBUTE}`,
    );
  }
  await client.send(
    new UpdateTimeToLiveCommand({
      TableName: tableName,
      TimeToLiveSpecification: { AttributeName: TIME_TO_LIVE_ATTRIBUTE, Enabled: true },
    }),
  );
  return "enabled";
}
